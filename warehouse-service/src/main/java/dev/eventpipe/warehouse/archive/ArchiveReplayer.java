package dev.eventpipe.warehouse.archive;

import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.schema.Timestamps;
import dev.eventpipe.warehouse.staging.StagingFiles;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays a source's archive for a time range: lists the source's day folders in storage (the archive itself, not
 * the index, so files of a lost database still replay), reads the files of the range's hours in key order and
 * stores each event received in [from, to) as a NEW gw job of the source (its user key, request IP and receive time
 * kept; parameter {@code archive_replay}). The processor then treats them like any gw job: dedup by messageId
 * applies, so an event still within the dedup window is filtered, not delivered twice. Each file's jobs and the
 * replay's progress commit together; a replay cut short goes on after the last file it finished.
 */
public final class ArchiveReplayer {
    private static final Logger log = LoggerFactory.getLogger(ArchiveReplayer.class);
    private static final int BATCH = 1000;

    private final ArchiveReplays replays;
    private final ObjectStore store;
    private final JobsDb gw;
    private final WorkspaceConfigClient config;
    private final LeaderLease lease;
    private final TransactionTemplate tx;

    public ArchiveReplayer(
            ArchiveReplays replays,
            ObjectStore store,
            JobsDb gw,
            WorkspaceConfigClient config,
            LeaderLease lease,
            TransactionTemplate tx) {
        this.replays = replays;
        this.store = store;
        this.gw = gw;
        this.config = config;
        this.lease = lease;
        this.tx = tx;
    }

    /** Works through the unfinished replays; returns the number of events replayed. */
    public long runOnce() {
        if (!lease.isLeader()) return 0;
        long events = 0;
        for (ArchiveReplays.Replay replay : replays.unfinished()) {
            try {
                events += replay(replay);
                replays.finish(replay.id(), "done", null);
            } catch (IOException | UncheckedIOException e) {
                // storage unreachable: the replay stays unfinished and goes on next time
                replays.noteError(replay.id(), String.valueOf(e.getMessage()));
                log.atWarn().addKeyValue("replay", replay.id()).setCause(e).log("replay paused");
            } catch (RuntimeException e) {
                replays.finish(replay.id(), "failed", String.valueOf(e.getMessage()));
                log.atWarn().addKeyValue("replay", replay.id()).setCause(e).log("replay failed");
            }
        }
        return events;
    }

    private long replay(ArchiveReplays.Replay replay) throws IOException {
        Source source = config.current().sourceById(replay.sourceId()).orElse(null);
        String category = source == null ? "" : source.sourceDefinition().category();
        long events = 0;
        for (String location : files(replay)) {
            List<NewJob> jobs = new ArrayList<>();
            StagingFiles.read(store.open(location), line -> {
                NewJob job = job(line, replay, category);
                if (job != null) jobs.add(job);
            });
            tx.executeWithoutResult(status -> {
                lease.assertHeld();
                for (int i = 0; i < jobs.size(); i += BATCH)
                    gw.store(jobs.subList(i, Math.min(jobs.size(), i + BATCH)));
                replays.fileDone(replay.id(), location, jobs.size());
            });
            events += jobs.size();
        }
        return events;
    }

    /** The archive files of the replay's hours not replayed yet, in key order. */
    private List<String> files(ArchiveReplays.Replay replay) throws IOException {
        List<String> out = new ArrayList<>();
        Instant firstHour = ArchivePaths.hour(replay.from());
        LocalDate day = firstHour.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = replay.to().minusMillis(1).atZone(ZoneOffset.UTC).toLocalDate();
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            for (var object : store.list(ArchivePaths.dayPrefix(replay.sourceId(), day))) {
                String key = object.key();
                if (!key.endsWith(".json.gz")) continue;
                Instant hour = ArchivePaths.hourOf(key);
                if (hour.isBefore(firstHour) || !hour.isBefore(replay.to())) continue;
                if (replay.lastLocation() != null && key.compareTo(replay.lastLocation()) <= 0) continue;
                out.add(key);
            }
        }
        return out;
    }

    private static NewJob job(JsonNode line, ArchiveReplays.Replay replay, String category) {
        Instant received =
                Timestamps.parse(line.path("receivedAt").asString("")).orElse(null);
        if (received == null || received.isBefore(replay.from()) || !received.isBefore(replay.to())) return null;
        if (!line.path("payload").isObject()) return null;
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.putArray("batch").add(line.get("payload"));
        payload.put("requestIP", line.path("requestIP").asString(""));
        payload.put("receivedAt", line.path("receivedAt").asString());
        ObjectNode params = Json.mapper().createObjectNode();
        params.put("source_id", replay.sourceId());
        params.put("source_category", category);
        params.put("archive_replay", replay.id());
        return NewJob.of(
                line.path("userId").asString(""), replay.workspaceId(), "GW", params.toString(), payload.toString());
    }
}
