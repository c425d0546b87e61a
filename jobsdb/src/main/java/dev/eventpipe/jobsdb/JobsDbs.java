package dev.eventpipe.jobsdb;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Entry point of the library: migrates the queue schema (Flyway, history in {@code jobsdb_schema_history}, so it
 * lives beside any service's own migrations) and hands out one {@link JobsDb} per queue, plus the background
 * pieces ({@link DatasetMaintenance}, {@link CrashRecovery}).
 */
public final class JobsDbs {
    private final Map<Queue, JobsDb> queues = new EnumMap<>(Queue.class);
    private final DatasetMaintenance maintenance;
    private final CrashRecovery recovery;
    private final JobReads reads;

    private JobsDbs(DataSource dataSource, JobsDbSettings settings, MeterRegistry meters, InstantSource clock) {
        Datasets datasets = new Datasets(dataSource, settings.maxDatasetJobs());
        for (Queue q : Queue.values()) queues.put(q, new PostgresJobsDb(q, dataSource, datasets, meters));
        this.maintenance = new DatasetMaintenance(dataSource, datasets, settings, clock);
        this.recovery = new CrashRecovery(dataSource);
        this.reads = new JobReads(dataSource);
    }

    /** Migrates the schema if needed and opens the queues. Safe to call from several processes at once. */
    public static JobsDbs open(
            DataSource dataSource, JobsDbSettings settings, MeterRegistry meters, InstantSource clock) {
        migrate(dataSource);
        JobsDbs jobsDbs = new JobsDbs(dataSource, settings, meters, clock);
        for (Queue queue : Queue.values()) jobsDbs.maintenance.prepareAhead(queue);
        return jobsDbs;
    }

    public static JobsDbs open(DataSource dataSource, JobsDbSettings settings) {
        return open(dataSource, settings, new SimpleMeterRegistry(), InstantSource.system());
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/jobsdb")
                .table("jobsdb_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    public JobsDb queue(Queue queue) {
        return queues.get(queue);
    }

    public DatasetMaintenance maintenance() {
        return maintenance;
    }

    public CrashRecovery recovery() {
        return recovery;
    }

    /** Reads for people looking at the queues (search, failed events, traces); not on any hot path. */
    public JobReads reads() {
        return reads;
    }
}
