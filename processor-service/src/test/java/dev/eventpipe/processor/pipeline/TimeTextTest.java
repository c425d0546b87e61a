package dev.eventpipe.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Issue 16: TimeText reads and writes the usual UTC millisecond text without a DateTimeFormatter. Every value must
 * be the formatters' (ISO_OFFSET_DATE_TIME to read, the RFC 3339 and archive patterns to write), for that text and
 * for every other, valid or not.
 */
class TimeTextTest {
    private final Random random = new Random(16);

    @Test
    void readsWhatTheIsoFormatterReads() {
        List<String> texts = new ArrayList<>(List.of(
                "2026-11-30T12:34:56.789Z",
                " 2026-11-30T12:34:56.789Z ",
                "2024-02-29T00:00:00.000Z",
                "2023-02-29T00:00:00.000Z",
                "2026-02-30T00:00:00.000Z",
                "2026-04-31T00:00:00.000Z",
                "2026-13-01T00:00:00.000Z",
                "2026-00-01T00:00:00.000Z",
                "2026-01-00T00:00:00.000Z",
                "2026-11-30T24:00:00.000Z",
                "2026-11-30T23:60:00.000Z",
                "2026-11-30T23:59:60.000Z",
                "0000-01-01T00:00:00.000Z",
                "0001-01-01T00:00:00.000Z",
                "9999-12-31T23:59:59.999Z",
                "2026-11-30t12:34:56.789Z",
                "2026-11-30T12:34:56.789z",
                "2026-11-30 12:34:56.789Z",
                "2026-11-30T12:34:56.789+00:00",
                "2026-11-30T12:34:56.789-00:00",
                "2026-11-30T12:34:56.789+05:30",
                "2026-11-30T12:34:56Z",
                "2026-11-30T12:34:56.7891Z",
                "2026-11-30T12:34:56.78Z",
                "2026-11-3OT12:34:56.789Z",
                "2026-11-30T12:34:56.-89Z",
                "+2026-11-30T12:34:56.789Z",
                "2026-11-30T12:34:56.789Z\u0000",
                "\u0662\u0660\u0662\u0666-11-30T12:34:56.789Z",
                "",
                "Z"));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(canonical(randomTime()));
            if (random.nextInt(4) == 0) s.setCharAt(random.nextInt(s.length()), (char) ('0' + random.nextInt(11)));
            texts.add(s.toString());
        }
        for (String text : texts)
            assertThat(TimeText.parse(JsonNodeFactory.instance.stringNode(text)))
                    .as(text)
                    .isEqualTo(iso(text));
    }

    @Test
    void writesWhatThePatternsWrite() {
        DateTimeFormatter utc =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        DateTimeFormatter rfc3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        for (int i = 0; i < 50_000; i++) {
            OffsetDateTime t = randomTime();
            if (random.nextBoolean())
                t = t.withOffsetSameInstant(ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1)));
            assertThat(TimeText.format(t)).as(t.toString()).isEqualTo(rfc3339.format(t));
            assertThat(TimeText.utcMillis(t)).as(t.toString()).isEqualTo(utc.format(t));
            assertThat(TimeText.utcMillis(t.toInstant())).as(t.toString()).isEqualTo(utc.format(t.toInstant()));
        }
    }

    private OffsetDateTime randomTime() {
        long seconds = switch (random.nextInt(4)) {
            case 0 -> random.nextLong(-62_167_219_200L * 2, 253_402_300_800L * 2); // years -3000 to 20000
            case 1 -> random.nextLong(-30_610_224_000L, 253_402_300_800L); // 1000 to 9999
            default -> random.nextLong(1_700_000_000L, 1_800_000_000L); // now
        };
        int nanos = random.nextBoolean() ? random.nextInt(1000) * 1_000_000 : random.nextInt(1_000_000_000);
        return Instant.ofEpochSecond(seconds, nanos).atOffset(ZoneOffset.UTC);
    }

    private static String canonical(OffsetDateTime t) {
        return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").format(t);
    }

    private static Optional<OffsetDateTime> iso(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
