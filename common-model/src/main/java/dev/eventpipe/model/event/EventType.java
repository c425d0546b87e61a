package dev.eventpipe.model.event;

import java.util.Locale;
import java.util.Optional;

/** The Segment / RudderStack message types. */
public enum EventType {
    TRACK,
    IDENTIFY,
    PAGE,
    SCREEN,
    GROUP,
    ALIAS;

    /** The lower-case name used on the wire and in routes ({@code /v1/track}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWire(String value) {
        if (value == null) return Optional.empty();
        for (EventType t : values()) {
            if (t.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(t);
        }
        return Optional.empty();
    }
}
