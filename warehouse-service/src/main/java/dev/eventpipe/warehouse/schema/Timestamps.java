package dev.eventpipe.warehouse.schema;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which strings the warehouse takes for timestamps, as RudderStack does: an ISO-8601 date, optionally with a time
 * (after {@code T} or a space) and a zone; no zone means UTC; years 0001 to 9999. They are stored as RFC 3339 with
 * milliseconds in UTC. A string that looks like a date but is not one (February 30th) stays a string.
 */
public final class Timestamps {
    private static final int MAX_LENGTH = 41;
    private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})"
            + "(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?"
            + "(?:([zZ])|([+-])(\\d{2}):?(\\d{2})?)?)?");
    private static final DateTimeFormatter OUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** The instant a string names, when it is a timestamp by the rules above. */
    public static Optional<Instant> parse(String value) {
        if (value.length() > MAX_LENGTH) return Optional.empty();
        Matcher m = ISO.matcher(value);
        if (!m.matches()) return Optional.empty();
        try {
            LocalDate date = LocalDate.of(num(m, 1), num(m, 2), num(m, 3));
            if (date.getYear() < 1) return Optional.empty();
            LocalTime time = LocalTime.MIDNIGHT;
            if (m.group(4) != null) {
                int nanos = m.group(7) == null ? 0 : nanos(m.group(7));
                time = LocalTime.of(num(m, 4), num(m, 5), m.group(6) == null ? 0 : num(m, 6), nanos);
            }
            ZoneOffset zone = ZoneOffset.UTC;
            if (m.group(9) != null) {
                int hours = num(m, 10);
                int minutes = m.group(11) == null ? 0 : num(m, 11);
                int sign = "-".equals(m.group(9)) ? -1 : 1;
                zone = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            }
            return Optional.of(date.atTime(time).toInstant(zone));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    public static boolean isTimestamp(String value) {
        return parse(value).isPresent();
    }

    /** RFC 3339 in UTC with milliseconds, as the staging files and the warehouse rows carry timestamps. */
    public static String format(Instant instant) {
        return OUT.format(instant);
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static int nanos(String fraction) {
        String nine = (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(nine);
    }
}
