package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.ByteStreamWriter;

/**
 * The bytes {@link CopyRows#text} sends, against the COPY text form written out by hand from its definition: each
 * char's UTF-8 (a lone surrogate as U+FFFD), with backslash, tab, newline and carriage return escaped and NUL as the
 * JSON escape. HostileValuesIT stores such values in PostgreSQL; this one covers many strings of every kind, the
 * all-ASCII fast path and the char-by-char path alike, and values longer than the 64 KiB buffer.
 */
class CopyRowsTest {
    private static final String[] PIECES = {
        "a",
        "Z",
        "{\"k\":1}",
        "?",
        "\\",
        "\t",
        "\n",
        "\r",
        "\0",
        "é",
        "ß",
        "€",
        "中",
        "\uD83D\uDE00",
        "\uD800",
        "\uDC00",
        "\uDC00\uD800",
        "\u007F",
        "\u0080",
        "\u07FF",
        "\u0800",
        "\uFFFF",
        "??",
        " ",
        "\"",
        "/"
    };

    @Test
    void everyKindOfStringIsSentAsItsCopyTextForm() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        List<String> values = new ArrayList<>(List.of("", "plain ascii", "what?", "tab\there", "\uD800?", "?\uDFFF"));
        for (int n = 0; n < 3_000; n++) {
            StringBuilder value = new StringBuilder();
            int parts = random.nextInt(40);
            boolean asciiOnly = random.nextBoolean();
            for (int p = 0; p < parts; p++) {
                String piece = PIECES[random.nextInt(PIECES.length)];
                // ASCII and lone surrogates only: strings of one byte a char, the fast path
                if (asciiOnly && piece.chars().anyMatch(c -> c >= 0x80 && !Character.isSurrogate((char) c))) continue;
                value.append(piece);
            }
            values.add(value.toString());
        }
        values.add("x".repeat(70_000) + "\n" + "y".repeat(70_000)); // across the buffer, fast path
        values.add("é".repeat(40_000) + "\\" + "\uD800".repeat(3)); // across the buffer, char by char

        for (String value : values) {
            assertThat(sent(value)).as("%s", escapeForMessage(value)).isEqualTo(expected(value));
        }
    }

    @Test
    void numbersAndTimesAreSentAsTheirDigits() throws Exception {
        Capture capture = new Capture();
        CopyRows rows = new CopyRows(capture);
        rows.number(-9_223_372_036_854_775_808L)
                .time(java.time.Instant.parse("2026-11-30T16:00:55.482Z"))
                .numberOrNull(null)
                .endRow();
        rows.finish();
        assertThat(capture.text()).isEqualTo("-9223372036854775808\t2026-11-30T16:00:55.482Z\t\\N\n");
    }

    @Test
    void aTimeIsSentAsInstantToStringWritesIt() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        List<java.time.Instant> times = new ArrayList<>(List.of(
                java.time.Instant.EPOCH,
                java.time.Instant.ofEpochSecond(CopyRows.LAST_FOUR_DIGIT_SECOND, 999_999_999),
                java.time.Instant.ofEpochSecond(CopyRows.LAST_FOUR_DIGIT_SECOND + 1), // year 10000: +10000-01-01...
                java.time.Instant.ofEpochSecond(-1, 500_000_000), // before 1970
                java.time.Instant.MIN,
                java.time.Instant.MAX,
                java.time.Instant.parse("2028-02-29T23:59:59.000001Z"),
                java.time.Instant.parse("2026-12-31T00:00:00.100Z"),
                java.time.Instant.parse("2026-01-01T00:00:00.000000010Z")));
        for (int n = 0; n < 20_000; n++) {
            long second = random.nextLong(-100_000_000_000L, CopyRows.LAST_FOUR_DIGIT_SECOND + 100_000_000L);
            // nanos with 0, 3, 6 or 9 significant digits, as clocks make them
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            times.add(java.time.Instant.ofEpochSecond(second, nano));
        }
        times.add(java.time.Instant.now());
        Capture capture = new Capture();
        CopyRows rows = new CopyRows(capture);
        StringBuilder expected = new StringBuilder();
        for (java.time.Instant t : times) {
            rows.time(t).timeOrNull(t).endRow();
            expected.append(t).append('\t').append(t).append('\n');
        }
        rows.finish();
        assertThat(capture.text()).isEqualTo(expected.toString());
    }

    private static byte[] sent(String value) throws Exception {
        Capture capture = new Capture();
        CopyRows rows = new CopyRows(capture);
        rows.text(value).endRow();
        rows.finish();
        return capture.out.toByteArray();
    }

    private static byte[] expected(String value) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                text.append(c).append(value.charAt(++i));
                continue;
            }
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\0' -> text.append("\\\\u0000");
                default -> text.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String escapeForMessage(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints()
                .limit(80)
                .forEach(cp -> out.append(cp < 0x20 || cp > 0x7E ? "\\u%04x".formatted(cp) : Character.toString(cp)));
        return out.toString();
    }

    /** Keeps what CopyRows sends; a COPY that is never sent anywhere. */
    private static final class Capture implements CopyIn {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean active = true;

        String text() {
            return out.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void writeToCopy(byte[] buf, int off, int siz) {
            out.write(buf, off, siz);
        }

        @Override
        public void writeToCopy(ByteStreamWriter from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flushCopy() {}

        @Override
        public long endCopy() {
            active = false;
            return 1;
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 0;
        }

        @Override
        public int getFieldFormat(int field) {
            return 0;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void cancelCopy() {
            active = false;
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }
}
