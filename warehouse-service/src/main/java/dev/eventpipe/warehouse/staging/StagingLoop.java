package dev.eventpipe.warehouse.staging;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.warehouse.config.WarehouseProperties;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.schema.EventMeta;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Drains the batch_rt queue for POSTGRES destinations: a pass fetches unprocessed jobs in job id order, groups them
 * by source and destination, writes one staging file per group to storage, then in ONE transaction (which checks
 * the lease) records the files and marks the jobs {@code succeeded} (or {@code aborted}: an event that cannot be
 * mapped, a destination gone from the config). A crash or a storage outage before that commit leaves the jobs
 * unprocessed, so the next pass stages them again; a file written by a pass that did not commit is never referenced.
 */
public final class StagingLoop {
    private static final Logger log = LoggerFactory.getLogger(StagingLoop.class);
    public static final String DESTINATION_TYPE = EventMeta.DESTINATION_TYPE;

    private final JobsDb batchRt;
    private final WorkspaceConfigClient config;
    private final ObjectStore store;
    private final StagingFileRecords records;
    private final LeaderLease lease;
    private final TransactionTemplate tx;
    private final WarehouseProperties.Staging settings;
    private final Path workDir;
    private final InstantSource clock;

    public StagingLoop(
            JobsDb batchRt,
            WorkspaceConfigClient config,
            ObjectStore store,
            StagingFileRecords records,
            LeaderLease lease,
            TransactionTemplate tx,
            WarehouseProperties.Staging settings,
            Path workDir,
            InstantSource clock) {
        this.batchRt = batchRt;
        this.config = config;
        this.store = store;
        this.records = records;
        this.lease = lease;
        this.tx = tx;
        this.settings = settings;
        this.workDir = workDir;
        this.clock = clock;
    }

    /** One pass; returns the number of jobs handed over (0: nothing to do, or not now). */
    public int runOnce() throws IOException {
        if (!lease.isLeader() || !config.hasLoaded()) return 0;
        List<Job> jobs = batchRt.fetchUnprocessed(JobQuery.first(settings.maxJobs())
                .withPayloadLimit(settings.maxBytes().toBytes())
                .customVal(DESTINATION_TYPE));
        if (jobs.isEmpty()) return 0;
        ConfigIndex index = config.current();
        Instant now = clock.instant();
        Map<String, StagingBatch> groups = new LinkedHashMap<>();
        List<StatusUpdate> statuses = new ArrayList<>();
        for (Job job : jobs) {
            JsonNode params = Json.mapper().readTree(job.parameters());
            String sourceId = params.path("source_id").asString("");
            String destinationId = params.path("destination_id").asString("");
            Destination destination = index.destinationById(destinationId).orElse(null);
            if (destination == null) {
                if (job.createdAt().isAfter(now.minus(settings.destinationGrace()))) continue; // next pass
                statuses.add(
                        aborted(job, 410, "destination " + destinationId + " is not in the workspace config", now));
                continue;
            }
            String sourceType = index.sourceById(sourceId)
                    .map(s -> s.sourceDefinition() == null
                            ? ""
                            : s.sourceDefinition().name())
                    .orElse("");
            groups.computeIfAbsent(
                            sourceId + "\u0000" + destinationId,
                            k -> new StagingBatch(job.workspaceId(), sourceId, destination, sourceType))
                    .add(job, params, statuses, now);
        }
        List<StagingFileRecords.NewFile> files = new ArrayList<>();
        for (StagingBatch batch : groups.values()) {
            if (batch.rows() == 0) continue;
            files.add(write(batch));
        }
        tx.executeWithoutResult(status -> {
            lease.assertHeld();
            records.insert(files);
            batchRt.updateStatus(statuses);
        });
        log.atDebug()
                .addKeyValue("jobs", statuses.size())
                .addKeyValue("files", files.size())
                .log("staged");
        return statuses.size();
    }

    private StagingFileRecords.NewFile write(StagingBatch batch) throws IOException {
        Files.createDirectories(workDir);
        Path tmp = Files.createTempFile(workDir, "staging-", ".json.gz");
        try {
            try (StagingFiles.Writer out = new StagingFiles.Writer(tmp)) {
                for (StagedRow row : batch.staged()) out.write(row.toJson());
            }
            String key = batch.key(clock.instant());
            store.put(key, tmp);
            return new StagingFileRecords.NewFile(
                    batch.workspaceId(),
                    batch.sourceId(),
                    batch.destination().id(),
                    key,
                    batch.rows(),
                    batch.events(),
                    Files.size(tmp),
                    batch.firstJobId(),
                    batch.lastJobId());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static StatusUpdate aborted(Job job, int code, String reason, Instant now) {
        String body = Json.mapper().createObjectNode().put("reason", reason).toString();
        return StatusUpdate.aborted(job.jobId(), 1, now).withResponse(String.valueOf(code), body);
    }
}
