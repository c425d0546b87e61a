package dev.eventpipe.warehouse.archive;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.warehouse.config.WarehouseProperties;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.schema.Timestamps;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Drains the arc queue into archive files. A pass walks the unprocessed arc jobs in job id order and files each under
 * its source and the hour the gateway received it, stopping at the first job whose hour is not over yet (plus
 * {@code grace}, for late events of the hour), unless forced. Each file (cut at {@code max-file-bytes}) is put to
 * storage, then ONE transaction (which checks the lease) records it and marks its jobs {@code succeeded}. A storage
 * outage stops the pass: the jobs stay in arc, nothing is lost, the pipeline does not wait (arc is its own queue).
 * A file put but not committed (crash) has the name of its first job, which is still the first unarchived job of
 * its source and hour: the next pass writes the same name again, so no event is archived twice.
 */
public final class ArchiveLoop {
    private static final Logger log = LoggerFactory.getLogger(ArchiveLoop.class);

    private final JobsDb arc;
    private final ObjectStore store;
    private final ArchiveFiles files;
    private final LeaderLease lease;
    private final TransactionTemplate tx;
    private final WarehouseProperties.Archive settings;
    private final Path workDir;
    private final InstantSource clock;

    public ArchiveLoop(
            JobsDb arc,
            ObjectStore store,
            ArchiveFiles files,
            LeaderLease lease,
            TransactionTemplate tx,
            WarehouseProperties.Archive settings,
            Path workDir,
            InstantSource clock) {
        this.arc = arc;
        this.store = store;
        this.files = files;
        this.lease = lease;
        this.tx = tx;
        this.settings = settings;
        this.workDir = workDir;
        this.clock = clock;
    }

    /** One pass; {@code force} also writes hours not over yet. Returns the number of events archived. */
    public synchronized int runOnce(boolean force) throws IOException {
        if (!lease.isLeader()) return 0;
        Instant now = clock.instant();
        Files.createDirectories(workDir);
        Map<String, ArchivePart.Group> groups = new LinkedHashMap<>();
        List<ArchivePart> parts = new ArrayList<>();
        try {
            collect(now, force, groups, parts);
            for (ArchivePart.Group g : groups.values()) g.closeCurrent(parts);
            parts.sort(Comparator.comparingLong(ArchivePart::firstJobId));
            int archived = 0;
            for (ArchivePart part : parts) {
                archive(part, now);
                archived += part.jobs().size();
            }
            return archived;
        } finally {
            for (ArchivePart.Group g : groups.values()) g.discard();
            for (ArchivePart part : parts) Files.deleteIfExists(part.file());
        }
    }

    private void collect(Instant now, boolean force, Map<String, ArchivePart.Group> groups, List<ArchivePart> parts)
            throws IOException {
        long after = 0;
        while (true) {
            List<Job> jobs =
                    arc.fetchUnprocessed(JobQuery.first(settings.maxJobs()).after(after));
            if (jobs.isEmpty()) return;
            for (Job job : jobs) {
                after = job.jobId();
                JsonNode params = Json.mapper().readTree(job.parameters());
                String sourceId = params.path("source_id").asString("");
                Instant received = Timestamps.parse(params.path("received_at").asString(""))
                        .orElse(job.createdAt());
                Instant hour = ArchivePaths.hour(received);
                if (!force
                        && hour.plus(Duration.ofHours(1)).plus(settings.grace()).isAfter(now)) return;
                String key = sourceId + "\u0000" + hour;
                ArchivePart.Group group = groups.get(key);
                if (group == null) {
                    if (groups.size() >= settings.maxOpenFiles()) return; // the rest waits for the next pass
                    group = new ArchivePart.Group(job.workspaceId(), sourceId, hour, workDir);
                    groups.put(key, group);
                }
                group.add(job, settings.maxFileBytes().toBytes(), parts);
            }
            if (jobs.size() < settings.maxJobs()) return;
        }
    }

    private void archive(ArchivePart part, Instant now) throws IOException {
        store.put(part.location(), part.file());
        List<StatusUpdate> statuses = new ArrayList<>(part.jobs().size());
        for (long jobId : part.jobs())
            statuses.add(StatusUpdate.succeeded(jobId, 1, now).withResponse("200", "{}"));
        tx.executeWithoutResult(status -> {
            lease.assertHeld();
            files.record(new ArchiveFiles.ArchiveFile(
                    part.location(),
                    part.workspaceId(),
                    part.sourceId(),
                    part.hour(),
                    part.firstJobId(),
                    part.lastJobId(),
                    part.jobs().size(),
                    part.bytes(),
                    now));
            arc.updateStatus(statuses);
        });
        log.atDebug()
                .addKeyValue("file", part.location())
                .addKeyValue("events", part.jobs().size())
                .log("archived");
    }
}
