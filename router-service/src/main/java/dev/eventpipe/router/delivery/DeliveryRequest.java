package dev.eventpipe.router.delivery;

import dev.eventpipe.model.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP request described by a destination transformer's output ({@code {version:"1", type:"REST", method,
 * endpoint, headers, params, body:{JSON|JSON_ARRAY|XML|FORM|GZIP}, files, userId}}). As in RudderStack, the first
 * non-empty body format wins: JSON is serialised, {@code JSON_ARRAY.batch} and {@code XML.payload} are sent as
 * they are, FORM is url-encoded, {@code GZIP.payload} is compressed. Numbers keep their digits (no double in
 * between): {@code 19999999.99} is sent as {@code 19999999.99} in JSON, form and query values alike, never as
 * {@code 1.999999999E7}.
 */
public record DeliveryRequest(
        String method,
        String uri,
        Map<String, String> headers,
        byte @Nullable [] body,
        @Nullable String bodyType) {

    /**
     * Reads a description; throws {@link IllegalArgumentException} when it cannot be delivered. The same request as
     * {@link #parse(JsonNode) parse(Json.exact().readTree(payload))}, byte for byte, but for the usual shape (string
     * endpoint, method, headers and query values, a JSON body) read by streaming over the payload and copying the
     * body's tokens to the bytes sent, without building the payload's tree (Jackson's tree and the body's
     * serialisation from it were 14 % of the router's CPU samples in a whole-suite profile). Whatever the stream does
     * not take as it is (another body format, a value of another type, a name given twice, a broken payload) is read
     * by the tree, so it is sent, or refused, as before ({@code DeliveryRequestStreamTest}).
     */
    public static DeliveryRequest parse(String payload) {
        DeliveryRequest streamed = streamed(payload);
        return streamed != null ? streamed : parse(Json.exact().readTree(payload));
    }

    /** The request read by streaming, or {@code null} when the payload is left to the tree. */
    static @Nullable DeliveryRequest streamed(String payload) {
        try (JsonParser parser = Json.exact().createParser(payload)) {
            // a string longer than the parser allows fails when the tree reads it, not when the stream skips it
            if (payload.length() > parser.streamReadConstraints().getMaxStringLength()) return null;
            return new StreamedRequest(parser, payload.length()).read();
        } catch (JacksonException e) {
            return null; // the tree reads it again and fails with its own message
        }
    }

    /** Reads a description already parsed (a batched request from the transformer). */
    public static DeliveryRequest parse(JsonNode root) {
        String endpoint = text(root, "endpoint");
        if (endpoint == null || endpoint.isBlank()) throw new IllegalArgumentException("no endpoint in the payload");
        String method = text(root, "method");
        method = method == null || method.isBlank() ? "POST" : method.toUpperCase(Locale.ROOT);
        Map<String, String> headers = new LinkedHashMap<>();
        root.path("headers").properties().forEach(e -> {
            if (!e.getValue().isNull()) headers.put(e.getKey(), asText(e.getValue()));
        });
        JsonNode body = root.path("body");
        byte[] bytes = null;
        String type = null;
        if (nonEmpty(body.path("JSON"))) {
            bytes = Json.exact().writeValueAsBytes(body.path("JSON"));
            type = "application/json";
        } else if (nonEmpty(body.path("JSON_ARRAY"))) {
            bytes = utf8(asText(body.path("JSON_ARRAY").path("batch")));
            type = "application/json";
        } else if (nonEmpty(body.path("XML"))) {
            bytes = utf8(asText(body.path("XML").path("payload")));
            type = "application/xml";
        } else if (nonEmpty(body.path("FORM"))) {
            bytes = utf8(urlEncoded(body.path("FORM")));
            type = "application/x-www-form-urlencoded";
        } else if (nonEmpty(body.path("GZIP"))) {
            bytes = gzip(asText(body.path("GZIP").path("payload")));
            type = "application/json";
            headers.put("Content-Encoding", "gzip");
        }
        return new DeliveryRequest(method, withQuery(endpoint, root.path("params")), headers, bytes, type);
    }

    private static String withQuery(String endpoint, JsonNode params) {
        if (!nonEmpty(params)) return endpoint;
        String query = urlEncoded(params);
        return endpoint + (endpoint.contains("?") ? "&" : "?") + query;
    }

    private static String urlEncoded(JsonNode fields) {
        StringBuilder out = new StringBuilder();
        fields.properties().forEach(e -> {
            if (e.getValue().isNull()) return;
            if (!out.isEmpty()) out.append('&');
            out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(asText(e.getValue()), StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    private static boolean nonEmpty(JsonNode node) {
        return !node.isMissingNode() && !node.isNull() && !node.isEmpty();
    }

    private static @Nullable String text(JsonNode root, String field) {
        JsonNode n = root.path(field);
        return n.isMissingNode() || n.isNull() ? null : asText(n);
    }

    private static String asText(JsonNode node) {
        if (node.isNumber())
            return node.isIntegralNumber() ? node.bigIntegerValue().toString() : plain(node);
        return node.isValueNode() ? node.asString() : Json.exact().writeValueAsString(node);
    }

    private static String plain(JsonNode number) {
        // a double (from a caller's own tree) is rendered by its shortest decimal, never in exponent form
        return number.isBigDecimal()
                ? number.decimalValue().toPlainString()
                : new java.math.BigDecimal(number.asString()).toPlainString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(utf8(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
