package dev.eventpipe.router.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Masks a delivery request for people to read: every occurrence of one of the destination's secret values (its
 * definition's {@code secretKeys}), the whole value of credential-like headers, and the user-info of the URL. Values
 * are masked wherever they appear, since transformers put keys in URLs, headers and bodies alike.
 */
final class SecretMask {
    static final String MASK = "********";
    private static final Pattern CREDENTIAL_HEADER =
            Pattern.compile("(?i).*(authorization|api[-_]?key|token|secret|password|cookie|signature).*");
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@");
    /** Shorter values would mask ordinary text ("1", "us"); real secrets are longer. */
    private static final int MIN_SECRET_LENGTH = 4;

    private final List<String> secrets;

    SecretMask(List<String> secretValues) {
        List<String> kept = new ArrayList<>();
        for (String s : secretValues) if (s.length() >= MIN_SECRET_LENGTH && !kept.contains(s)) kept.add(s);
        kept.sort(Comparator.comparingInt(String::length).reversed()); // a secret holding another goes first
        this.secrets = kept;
    }

    /** The string values of {@code config} at the dotted {@code paths}, arrays walked element by element. */
    static List<String> secretValues(Map<String, Object> config, List<String> paths) {
        List<String> values = new ArrayList<>();
        for (String path : paths) collect(config, path.split("\\."), 0, values);
        return values;
    }

    private static void collect(Object node, String[] keys, int depth, List<String> into) {
        if (node instanceof List<?> list) {
            for (Object item : list) collect(item, keys, depth, into);
        } else if (node instanceof Map<?, ?> map && map.get(keys[depth]) != null) {
            Object child = map.get(keys[depth]);
            if (depth == keys.length - 1) {
                if (child instanceof String s) into.add(s);
            } else {
                collect(child, keys, depth + 1, into);
            }
        }
    }

    String text(String value) {
        String masked = value;
        for (String secret : secrets) masked = masked.replace(secret, MASK);
        return masked;
    }

    String url(String url) {
        return text(USER_INFO.matcher(url).replaceFirst("$1" + MASK + "@"));
    }

    Map<String, String> headers(Map<String, String> headers) {
        Map<String, String> masked = new LinkedHashMap<>();
        headers.forEach((name, value) ->
                masked.put(name, CREDENTIAL_HEADER.matcher(name).matches() ? MASK : text(value)));
        return masked;
    }
}
