package dev.eventpipe.processor.store;

import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.JsonText;
import dev.eventpipe.processor.pipeline.TimeText;
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
    private ArcJobs() {}

    static List<NewJob> of(BatchWork work) {
        List<NewJob> jobs = new ArrayList<>();
        for (BatchWork.Accepted accepted : work.accepted()) {
            GwJob gw = accepted.job();
            if (!gw.param("source_job_run_id").isEmpty()
                    || !gw.param("archive_replay").isEmpty()) continue;
            String receivedAt = TimeText.utcMillis(gw.receivedAt());
            ObjectNode event = accepted.event();
            // written straight to the generator (issue 16), as the tree {userId, payload, createdAt, messageId,
            // receivedAt, requestIP, jobId} was (ArcJobsTest holds the text to the tree's)
            String line = JsonText.write((g, ctxt) -> {
                g.writeStartObject();
                g.writeStringProperty("userId", gw.job().userId());
                g.writeName("payload");
                event.serialize(g, ctxt);
                g.writeStringProperty("createdAt", TimeText.utcMillis(gw.job().createdAt()));
                g.writeStringProperty("messageId", event.path("messageId").asString(""));
                g.writeStringProperty("receivedAt", receivedAt);
                g.writeStringProperty("requestIP", gw.requestIp());
                g.writeNumberProperty("jobId", gw.jobId());
                g.writeEndObject();
            });
            String params = JsonText.write((g, ctxt) -> {
                g.writeStartObject();
                g.writeStringProperty("source_id", gw.sourceId());
                g.writeStringProperty("received_at", receivedAt);
                g.writeNumberProperty("gateway_job_id", gw.jobId());
                g.writeEndObject();
            });
            jobs.add(new NewJob(UUID.randomUUID(), gw.job().userId(), gw.job().workspaceId(), "GW", params, line, 1));
        }
        return jobs;
    }
}
