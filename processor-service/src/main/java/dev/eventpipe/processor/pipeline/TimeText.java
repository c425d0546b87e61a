package dev.eventpipe.processor.pipeline;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * RFC 3339 timestamps as events carry them, and the millisecond form RudderStack writes back.
 *
 * <p>The usual text, UTC with milliseconds ({@code 2026-11-30T12:34:56.789Z}, what SDKs and the gateway write), is
 * read and written without a {@link DateTimeFormatter} (issue 16: four to six formatter calls per event were a
 * tenth of the processor's CPU): the same values as the formatters', which take every other text and year
 * ({@code TimeTextTest}).
 */
public final class TimeText {
    /** Go's {@code 2006-01-02T15:04:05.000Z07:00}: UTC is written {@code Z}, other offsets kept. */
    public static final DateTimeFormatter RFC3339_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    /** {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC (the archive's form). */
    public static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TimeText() {}

    public static Optional<OffsetDateTime> parse(JsonNode value) {
        if (value == null || !value.isString()) return Optional.empty();
        String text = value.stringValue().trim();
        OffsetDateTime usual = parseUsual(text);
        if (usual != null) return Optional.of(usual);
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** As {@link #RFC3339_MILLIS}{@code .format(time)}. */
    public static String format(OffsetDateTime time) {
        if (time.getOffset().getTotalSeconds() == 0) {
            String usual = usual(time.toLocalDateTime());
            if (usual != null) return usual;
        }
        return RFC3339_MILLIS.format(time);
    }

    /** As {@link #UTC_MILLIS}{@code .format(time)}. */
    public static String utcMillis(Instant time) {
        String usual = usual(LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC));
        return usual != null ? usual : UTC_MILLIS.format(time);
    }

    /** As {@link #UTC_MILLIS}{@code .format(time)}: the time in UTC. */
    public static String utcMillis(OffsetDateTime time) {
        return utcMillis(time.toInstant());
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} for years 1000 to 9999 (where the patterns' year is these four digits),
     * else null.
     */
    static String usual(LocalDateTime t) {
        int year = t.getYear();
        if (year < 1000 || year > 9999) return null;
        char[] c = new char[24];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} read as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} reads it, or null
     * for any other text and for values out of range (which the formatter then decides).
     */
    static OffsetDateTime parseUsual(String s) {
        if (s.length() != 24
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(19) != '.'
                || s.charAt(23) != 'Z') return null;
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        int millis = number(s, 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0) return null;
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000, ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The ASCII digits {@code s[at, at + width)} as a number, or -1. */
    private static int number(String s, int at, int width) {
        int n = 0;
        for (int i = at; i < at + width; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') return -1;
            n = n * 10 + (ch - '0');
        }
        return n;
    }
}
