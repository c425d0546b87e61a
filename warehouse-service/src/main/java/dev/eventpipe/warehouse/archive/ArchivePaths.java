package dev.eventpipe.warehouse.archive;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Where archive files live: {@code <source id>/gw/<yyyy-MM-dd>/<HH>/<first job id>-<uuid>.json.gz} (UTC, by the
 * time the gateway received the events), so a source's day is one listing and file names sort in job order. The
 * name is fixed by the file's first job, so writing a file again after a crash replaces it instead of duplicating.
 */
public final class ArchivePaths {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private ArchivePaths() {}

    public static String file(String sourceId, Instant hour, long firstJobId, String firstJobUuid) {
        return dayPrefix(sourceId, hour.atZone(ZoneOffset.UTC).toLocalDate()) + HOUR.format(hour) + "/" + firstJobId
                + "-" + firstJobUuid.substring(0, 8) + ".json.gz";
    }

    /** The folder of a source's day: every file of it, in hour order. */
    public static String dayPrefix(String sourceId, LocalDate day) {
        return safe(sourceId) + "/gw/" + DAY.format(day.atStartOfDay(ZoneOffset.UTC)) + "/";
    }

    /** The hour of a file key (its day and hour folders). */
    public static Instant hourOf(String key) {
        String[] parts = key.split("/");
        int n = parts.length;
        return LocalDate.parse(parts[n - 3])
                .atStartOfDay(ZoneOffset.UTC)
                .plusHours(Integer.parseInt(parts[n - 2]))
                .toInstant();
    }

    public static Instant hour(Instant time) {
        return time.truncatedTo(ChronoUnit.HOURS);
    }

    static String safe(String id) {
        String cleaned = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? "_" : cleaned;
    }
}
