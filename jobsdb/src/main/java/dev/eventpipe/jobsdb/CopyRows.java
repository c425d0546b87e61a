package dev.eventpipe.jobsdb;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams the rows of a PostgreSQL {@code COPY ... FROM STDIN} (text format) to the server while they are written:
 * values are encoded to UTF-8 straight into a 64 KiB buffer that is sent whenever it fills, so a commit of many
 * megabytes never exists as one string. Text format needs backslash, tab, newline and carriage return escaped; a
 * raw NUL (never valid in JSON text) is written as the JSON escape {@code \u0000}, the same value inside a JSON
 * string; a lone surrogate, which has no UTF-8 form, is written as U+FFFD.
 *
 * <p>Use: open, write rows, {@link #finish()}; on any exception the COPY is cancelled by {@link #close()}.
 */
final class CopyRows implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    // The ASCII bytes text format cannot carry as they are (backslash, tab, newline, carriage return, NUL), and '?',
    // which String.getBytes also writes for a lone surrogate.
    private static final boolean[] ESCAPED = new boolean[128];

    static {
        for (char c : new char[] {'\\', '\t', '\n', '\r', '\0', '?'}) ESCAPED[c] = true;
    }

    private final CopyIn copy;
    private final byte[] buffer = new byte[BUFFER];
    private int used;
    private boolean rowStarted;
    private boolean finished;

    CopyRows(CopyIn copy) {
        this.copy = copy;
    }

    static CopyRows open(Connection connection, String copySql) throws SQLException {
        return new CopyRows(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql));
    }

    CopyRows text(String value) throws SQLException {
        separator();
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        // As many bytes as chars: every char became one byte, so each is ASCII or a lone surrogate (which getBytes
        // turns into '?'). Then only the COPY escapes and those '?' need a look, found by a table over the bytes;
        // the runs between them are copied whole. (The processor spent 60 % of its store thread's CPU in the
        // char-by-char loop of encoded(): JFR profile of the whole-suite benchmark, docs/performance.md.)
        if (utf8.length == value.length()) asciiEscaped(utf8, value);
        else encoded(value);
        return this;
    }

    private void asciiEscaped(byte[] ascii, String value) throws SQLException {
        int run = 0;
        for (int i = 0; i < ascii.length; i++) {
            byte b = ascii[i];
            if (!ESCAPED[b]) continue;
            bytes(ascii, run, i - run);
            run = i + 1;
            switch (b) {
                case '\\' -> ascii('\\', '\\');
                case '\t' -> ascii('\\', 't');
                case '\n' -> ascii('\\', 'n');
                case '\r' -> ascii('\\', 'r');
                case '\0' -> nul();
                default -> questionMarkOrLoneSurrogate(value.charAt(i));
            }
        }
        bytes(ascii, run, ascii.length - run);
    }

    private void questionMarkOrLoneSurrogate(char c) throws SQLException {
        if (c == '?') {
            ascii('?');
            return;
        }
        room(3); // U+FFFD, as encoded() writes a lone surrogate
        buffer[used++] = (byte) 0xEF;
        buffer[used++] = (byte) 0xBF;
        buffer[used++] = (byte) 0xBD;
    }

    private void encoded(String value) throws SQLException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> ascii('\\', '\\');
                    case '\t' -> ascii('\\', 't');
                    case '\n' -> ascii('\\', 'n');
                    case '\r' -> ascii('\\', 'r');
                    case '\0' -> nul();
                    default -> ascii(c);
                }
            } else if (c < 0x800) {
                room(2);
                buffer[used++] = (byte) (0xC0 | c >> 6);
                buffer[used++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                room(4);
                buffer[used++] = (byte) (0xF0 | cp >> 18);
                buffer[used++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buffer[used++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buffer[used++] = (byte) (0x80 | cp & 0x3F);
            } else {
                char bmp = Character.isSurrogate(c) ? '\ufffd' : c;
                room(3);
                buffer[used++] = (byte) (0xE0 | bmp >> 12);
                buffer[used++] = (byte) (0x80 | bmp >> 6 & 0x3F);
                buffer[used++] = (byte) (0x80 | bmp & 0x3F);
            }
        }
    }

    private void nul() throws SQLException {
        // the COPY text form of the six characters \u0000 (the backslash escaped)
        for (char c : "\\\\u0000".toCharArray()) ascii(c);
    }

    CopyRows number(long value) throws SQLException {
        separator();
        byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        bytes(digits, 0, digits.length);
        return this;
    }

    CopyRows time(Instant value) throws SQLException {
        separator();
        long seconds = value.getEpochSecond();
        if (seconds < 0 || seconds > LAST_FOUR_DIGIT_SECOND) {
            byte[] text = value.toString().getBytes(StandardCharsets.US_ASCII);
            bytes(text, 0, text.length);
            return this;
        }
        room(MAX_TIME_TEXT);
        used = isoInstant(seconds, value.getNano(), buffer, used);
        return this;
    }

    /** 9999-12-31T23:59:59Z: up to it, from 1970 on, {@link #isoInstant} writes a time's text. */
    static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

    private static final int MAX_TIME_TEXT = "2026-12-01T02:17:37.123456789Z".length();

    /**
     * Writes {@code Instant.toString()}'s text of a time from 1970 to 9999 ({@code 2026-12-01T02:17:37.973123Z}: the
     * fraction in groups of three digits, none when it is zero) at {@code at}; returns where it ends. Made without a
     * formatter: {@code Instant.toString()} was 3 % of the router's CPU samples in a whole-suite profile (three times
     * per status row, issue 16). {@code CopyRowsTest} holds it to {@code Instant.toString()}.
     */
    static int isoInstant(long epochSecond, int nano, byte[] out, int at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, nano, ZoneOffset.UTC);
        at = digits(t.getYear(), 4, out, at);
        out[at++] = '-';
        at = digits(t.getMonthValue(), 2, out, at);
        out[at++] = '-';
        at = digits(t.getDayOfMonth(), 2, out, at);
        out[at++] = 'T';
        at = digits(t.getHour(), 2, out, at);
        out[at++] = ':';
        at = digits(t.getMinute(), 2, out, at);
        out[at++] = ':';
        at = digits(t.getSecond(), 2, out, at);
        if (nano != 0) {
            out[at++] = '.';
            if (nano % 1_000_000 == 0) at = digits(nano / 1_000_000, 3, out, at);
            else if (nano % 1_000 == 0) at = digits(nano / 1_000, 6, out, at);
            else at = digits(nano, 9, out, at);
        }
        out[at++] = 'Z';
        return at;
    }

    /** {@code value} (not negative) in {@code width} decimal digits, zero-padded; returns where they end. */
    private static int digits(int value, int width, byte[] out, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /** A time, or SQL NULL ({@code \\N}) when there is none. */
    CopyRows timeOrNull(@Nullable Instant value) throws SQLException {
        return value == null ? nullValue() : time(value);
    }

    /** A number, or SQL NULL ({@code \\N}) when there is none. */
    CopyRows numberOrNull(@Nullable Long value) throws SQLException {
        return value == null ? nullValue() : number(value);
    }

    private CopyRows nullValue() throws SQLException {
        separator();
        ascii('\\', 'N');
        return this;
    }

    void endRow() throws SQLException {
        ascii('\n');
        rowStarted = false;
    }

    /** Sends what is buffered and ends the COPY; returns the rows the server stored. */
    long finish() throws SQLException {
        flush();
        finished = true;
        return copy.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (!finished && copy.isActive()) copy.cancelCopy();
    }

    private void separator() throws SQLException {
        if (rowStarted) ascii('\t');
        rowStarted = true;
    }

    private void ascii(char c) throws SQLException {
        if (used == BUFFER) flush();
        buffer[used++] = (byte) c;
    }

    private void ascii(char a, char b) throws SQLException {
        ascii(a);
        ascii(b);
    }

    private void bytes(byte[] from, int offset, int length) throws SQLException {
        while (length > 0) {
            if (used == BUFFER) flush();
            int n = Math.min(length, BUFFER - used);
            System.arraycopy(from, offset, buffer, used, n);
            used += n;
            offset += n;
            length -= n;
        }
    }

    private void room(int bytes) throws SQLException {
        if (used + bytes > BUFFER) flush();
    }

    private void flush() throws SQLException {
        if (used > 0) copy.writeToCopy(buffer, 0, used);
        used = 0;
    }

    /** The UTF-8 size of a string as {@link #text} encodes it (before COPY escaping). */
    static int utf8Length(String value) {
        int bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else bytes += 3;
        }
        return bytes;
    }
}
