package dev.eventpipe.router.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
    /** The document as it was built before: a map of the three, written by the shared mapper. */
    private static String asMap(String response, Instant first, String contentType) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("response", response);
        m.put("firstAttemptedAt", first.toString());
        m.put("content-type", contentType);
        return Json.writeString(m);
    }

    @Test
    void anAttemptsDocumentIsTheTextTheMapGave() {
        List<String> texts = List.of(
                "",
                "ok",
                "{\"internal\":\"data\"}",
                "\u0000\u0001\u001f\u007f",
                "\b\f\n\r\t\"\\/",
                "é€😀\u2028\u2029\ufeff",
                "\ud800",
                "x\udc00y",
                "redacted due to unsupported content-type",
                "e".repeat(10 * 1024));
        List<Instant> times = List.of(
                Instant.parse("2026-11-30T19:26:36.856Z"),
                Instant.parse("2026-11-30T19:26:36Z"),
                Instant.parse("2026-11-30T19:26:36.123456Z"),
                Instant.EPOCH);
        for (String response : texts)
            for (String contentType : List.of("", "text/plain", "application/json; charset=utf-8", "a\"b\u0000"))
                for (Instant first : times)
                    assertThat(StatusJson.attempt(response, first, contentType))
                            .isEqualTo(asMap(response, first, contentType));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--)
                s.append((char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0x10000)));
            String response = s.toString();
            assertThat(StatusJson.attempt(response, times.get(i % 4), "text/plain"))
                    .isEqualTo(asMap(response, times.get(i % 4), "text/plain"));
        }
        // printable ASCII, the texts written as they are unless they hold a quote or a backslash
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) s.append((char) (0x20 + random.nextInt(0x60)));
            String text = s.toString();
            assertThat(StatusJson.attempt(text, times.get(i % 4), text)).isEqualTo(asMap(text, times.get(i % 4), text));
        }
        assertThat(StatusJson.attempt("a\nb", times.get(0), "text/plain"))
                .isEqualTo("{\"response\":\"a\\nb\",\"firstAttemptedAt\":\"2026-11-30T19:26:36.856Z\","
                        + "\"content-type\":\"text/plain\"}");
    }
}
