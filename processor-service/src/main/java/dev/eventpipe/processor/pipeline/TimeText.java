package dev.eventpipe.processor.pipeline;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** RFC 3339 timestamps as events carry them, and the millisecond form RudderStack writes back. */
public final class TimeText {
    /** Go's {@code 2006-01-02T15:04:05.000Z07:00}: UTC is written {@code Z}, other offsets kept. */
    public static final DateTimeFormatter RFC3339_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private TimeText() {}

    public static Optional<OffsetDateTime> parse(JsonNode value) {
        if (value == null || !value.isString()) return Optional.empty();
        try {
            return Optional.of(
                    OffsetDateTime.parse(value.stringValue().trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static String format(OffsetDateTime time) {
        return RFC3339_MILLIS.format(time);
    }
}
