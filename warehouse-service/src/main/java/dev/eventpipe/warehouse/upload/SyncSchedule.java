package dev.eventpipe.warehouse.upload;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * When a destination's next upload may start, from its config as RudderStack reads it (times in UTC):
 * {@code syncFrequency} in minutes (the service default when unset); with {@code syncStartAt} ("HH:MM") uploads
 * are due at that time and every frequency before and after it in the day, else once the frequency has passed
 * since the last upload; never inside {@code excludeWindow} ({@code excludeWindowStartTime} to
 * {@code excludeWindowEndTime}, which may wrap midnight). "Sync now" bypasses all of it.
 */
final class SyncSchedule {
    private final Duration frequency;
    private final @Nullable LocalTime startAt;
    private final @Nullable LocalTime excludeFrom;
    private final @Nullable LocalTime excludeTo;

    private SyncSchedule(
            Duration frequency,
            @Nullable LocalTime startAt,
            @Nullable LocalTime excludeFrom,
            @Nullable LocalTime excludeTo) {
        this.frequency = frequency;
        this.startAt = startAt;
        this.excludeFrom = excludeFrom;
        this.excludeTo = excludeTo;
    }

    static SyncSchedule of(Map<String, Object> config, Duration defaultFrequency) {
        Duration frequency = defaultFrequency;
        Object f = config.get("syncFrequency");
        if (f != null && !String.valueOf(f).isBlank()) {
            try {
                long minutes = Long.parseLong(String.valueOf(f).strip());
                if (minutes >= 1) frequency = Duration.ofMinutes(minutes);
            } catch (NumberFormatException ignored) {
                // an unreadable frequency falls back to the default
            }
        }
        LocalTime from = null;
        LocalTime to = null;
        if (config.get("excludeWindow") instanceof Map<?, ?> window) {
            from = time(window.get("excludeWindowStartTime"));
            to = time(window.get("excludeWindowEndTime"));
        }
        return new SyncSchedule(frequency, time(config.get("syncStartAt")), from, to);
    }

    boolean due(@Nullable Instant lastUploadCreated, Instant now) {
        if (excluded(now)) return false;
        if (lastUploadCreated == null) return true;
        if (startAt == null) return !now.isBefore(lastUploadCreated.plus(frequency));
        return lastUploadCreated.isBefore(previousSlot(now));
    }

    /** The latest scheduled time at or before now: syncStartAt plus or minus whole frequencies, in its day. */
    Instant previousSlot(Instant now) {
        ZonedDateTime day = now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC);
        long minuteNow = Duration.between(day, now.atZone(ZoneOffset.UTC)).toMinutes();
        long start = startAt == null ? 0 : startAt.getHour() * 60L + startAt.getMinute();
        long step = Math.max(1, frequency.toMinutes());
        long first = start % step; // earliest slot of a day
        long last = first + ((1439 - first) / step) * step; // latest slot of a day
        if (minuteNow < first) return day.minusDays(1).plusMinutes(last).toInstant();
        return day.plusMinutes(first + ((minuteNow - first) / step) * step).toInstant();
    }

    boolean excluded(Instant now) {
        if (excludeFrom == null || excludeTo == null) return false;
        LocalTime t = now.atZone(ZoneOffset.UTC).toLocalTime().withSecond(0).withNano(0);
        if (excludeFrom.isBefore(excludeTo)) return t.isAfter(excludeFrom) && t.isBefore(excludeTo);
        return t.isAfter(excludeFrom) || t.isBefore(excludeTo); // wraps midnight
    }

    private static @Nullable LocalTime time(@Nullable Object value) {
        if (value == null || String.valueOf(value).isBlank()) return null;
        try {
            return LocalTime.parse(String.valueOf(value).strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
