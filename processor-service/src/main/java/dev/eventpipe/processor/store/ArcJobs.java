package dev.eventpipe.processor.store;

import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.processor.pipeline.GwJob;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * The archive copies of a batch: one arc job per event that passed dedup, except events of rETL runs (a
 * {@code source_job_run_id}) and events replayed from the archive (already in it), as RudderStack archives. The
 * payload is the archive line itself, {@code {"userId","payload","createdAt","messageId","receivedAt","requestIP",
 * "jobId"}} (RudderStack's archive line plus what a replay needs); the parameters carry the source and the
 * receive time the archiver files it under.
 */
final class ArcJobs {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ArcJobs() {}

    static List<NewJob> of(BatchWork work) {
        List<NewJob> jobs = new ArrayList<>();
        for (BatchWork.Accepted accepted : work.accepted()) {
            GwJob gw = accepted.job();
            if (!gw.param("source_job_run_id").isEmpty()
                    || !gw.param("archive_replay").isEmpty()) continue;
            String receivedAt = MILLIS.format(gw.receivedAt());
            ObjectNode line = EventJson.MAPPER.createObjectNode();
            line.put("userId", gw.job().userId());
            line.set("payload", accepted.event());
            line.put("createdAt", MILLIS.format(gw.job().createdAt()));
            line.put("messageId", accepted.event().path("messageId").asString(""));
            line.put("receivedAt", receivedAt);
            line.put("requestIP", gw.requestIp());
            line.put("jobId", gw.jobId());
            ObjectNode params = EventJson.MAPPER.createObjectNode();
            params.put("source_id", gw.sourceId());
            params.put("received_at", receivedAt);
            params.put("gateway_job_id", gw.jobId());
            jobs.add(new NewJob(
                    UUID.randomUUID(),
                    gw.job().userId(),
                    gw.job().workspaceId(),
                    "GW",
                    params.toString(),
                    EventJson.MAPPER.writeValueAsString(line),
                    1));
        }
        return jobs;
    }
}
