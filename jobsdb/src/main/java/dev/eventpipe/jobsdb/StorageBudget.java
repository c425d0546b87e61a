package dev.eventpipe.jobsdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How much disk the job tables (every dataset of every queue, with indexes and TOAST) may use, and whether a
 * writer that adds work, such as the gateway, should accept more now. Past the high-water mark it should not;
 * once usage falls to the low-water mark (datasets dropped or compacted) it should again. The gap between the
 * two keeps it from flapping, and the room above the budget is what PostgreSQL keeps for work already accepted,
 * so the database never fails on a full disk.
 *
 * <p>The budget is {@code jobsdb.storage.max-bytes} when set; otherwise the job tables' size at start plus
 * {@code free-disk-share} of the free space on the database's disk at start, when this process can see that disk
 * (the database on the same machine, or its volume mounted at {@code disk-path}); otherwise there is none.
 */
public final class StorageBudget {
    private static final Logger log = LoggerFactory.getLogger(StorageBudget.class);

    /** The latest measurement: bytes used, the budget (0: none), whether to accept more, where the budget came from. */
    public record Status(long usedBytes, long budgetBytes, boolean accepting, String source) {}

    private final JdbcClient jdbc;
    private final StorageSettings settings;
    private final String usageSql;
    private final long budget;
    private final String source;
    private volatile Status status;

    private StorageBudget(JdbcClient jdbc, StorageSettings settings, long budget, String source, long used) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.usageSql = usageSql();
        this.budget = budget;
        this.source = source;
        this.status = new Status(used, budget, true, source);
    }

    /** Measures the job tables and fixes the budget. The schema must exist ({@link JobsDbs#open}). */
    public static StorageBudget open(DataSource dataSource, StorageSettings settings) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        long used = jdbc.sql(usageSql()).query(Long.class).single();
        long budget = 0;
        String source = "none";
        if (settings.maxBytes() > 0) {
            budget = settings.maxBytes();
            source = "configured";
        } else {
            Optional<Long> free = freeDisk(jdbc, settings);
            if (free.isPresent()) {
                budget = used + (long) (settings.freeDiskShare() * free.get());
                source = "free disk at start";
            }
        }
        if (budget == 0)
            log.atWarn()
                    .log("no storage budget for the job tables: set jobsdb.storage.max-bytes, or disk-path to the"
                            + " database's volume; without one a full disk makes PostgreSQL fail writes");
        else
            log.atInfo()
                    .addKeyValue("budgetBytes", budget)
                    .addKeyValue("usedBytes", used)
                    .addKeyValue("source", source)
                    .log("storage budget for the job tables");
        return new StorageBudget(jdbc, settings, budget, source, used);
    }

    /** Measures again and decides whether to accept more. */
    public Status refresh() {
        long used = jdbc.sql(usageSql).query(Long.class).single();
        boolean accepting = status.accepting();
        if (budget > 0) {
            if (accepting && used >= settings.highWater() * budget) {
                accepting = false;
                log.atWarn()
                        .addKeyValue("usedBytes", used)
                        .addKeyValue("budgetBytes", budget)
                        .log("job tables past the storage high-water mark: refusing new events until they shrink");
            } else if (!accepting && used <= settings.lowWater() * budget) {
                accepting = true;
                log.atInfo()
                        .addKeyValue("usedBytes", used)
                        .addKeyValue("budgetBytes", budget)
                        .log("job tables below the storage low-water mark: accepting events again");
            }
        }
        status = new Status(used, budget, accepting, source);
        return status;
    }

    public Status status() {
        return status;
    }

    public boolean accepting() {
        return status.accepting();
    }

    private static String usageSql() {
        String parents = Arrays.stream(Queue.values())
                .flatMap(q -> java.util.stream.Stream.of(q.jobsTable(), q.statusTable()))
                .map(t -> "'" + t + "'::regclass")
                .collect(Collectors.joining(", "));
        return "SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) FROM pg_inherits i WHERE i.inhparent IN ("
                + parents + ")";
    }

    /** Free bytes on the database's disk, when this process can see it. */
    private static Optional<Long> freeDisk(JdbcClient jdbc, StorageSettings settings) {
        String path = settings.diskPath();
        if (path.isBlank()) {
            try {
                path = jdbc.sql("SELECT current_setting('data_directory')")
                        .query(String.class)
                        .single();
            } catch (RuntimeException e) {
                return Optional.empty(); // not allowed to read it: the budget must be configured
            }
        }
        Path dir = Path.of(path);
        if (!Files.isDirectory(dir)) return Optional.empty(); // the database runs on another machine
        try {
            return Optional.of(Files.getFileStore(dir).getUsableSpace());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
