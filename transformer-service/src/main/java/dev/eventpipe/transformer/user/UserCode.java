package dev.eventpipe.transformer.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Source;

/**
 * A transformation's code. Code with {@code export} statements (RudderStack's style:
 * {@code export function transformEvent(event, metadata)}) is evaluated as an ES module, whose exports the engine
 * returns; plain scripts are wrapped in a function scope so their top-level functions stay private to them.
 *
 * @param key the cache key in each context: the version id, or a hash of inline code
 */
record UserCode(String key, String code, Source source) {
    private static final int MAX_INLINE = 256;
    private static final Map<String, UserCode> INLINE = new ConcurrentHashMap<>();
    private static final Pattern MODULE = Pattern.compile("(?m)^\\s*(export|import)\\s");
    private static final String SCRIPT_TAIL = "\n;return {"
            + "transformEvent: typeof transformEvent === 'function' ? transformEvent : undefined,"
            + "transformBatch: typeof transformBatch === 'function' ? transformBatch : undefined};})()";

    static UserCode ofVersion(String versionId, String code) {
        return new UserCode(versionId, code, source("transformation-" + versionId, code));
    }

    /** Inline code is hashed once per distinct text; a bounded map keeps the hot ones. */
    static UserCode inline(String code) {
        UserCode known = INLINE.get(code);
        if (known == null) {
            if (INLINE.size() > MAX_INLINE) {
                INLINE.clear();
            }
            known = new UserCode("inline:" + sha256(code), code, source("transformation", code));
            INLINE.put(code, known);
        }
        return known;
    }

    private static Source source(String name, String code) {
        if (MODULE.matcher(code).find()) {
            return Source.newBuilder("js", code, name + ".mjs")
                    .mimeType("application/javascript+module")
                    .cached(true)
                    .buildLiteral();
        }
        // the wrapper starts on the code's first line, so error positions match the user's line numbers
        return Source.newBuilder("js", "(function(){" + code + SCRIPT_TAIL, name + ".js")
                .cached(true)
                .buildLiteral();
    }

    private static String sha256(String code) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
