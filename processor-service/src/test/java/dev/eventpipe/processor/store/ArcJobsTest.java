package dev.eventpipe.processor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.processor.pipeline.GwJob;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ArcJobsTest {
    static GwJob gw(long id, String params) {
        String payload =
                "{\"batch\":[{\"type\":\"track\",\"messageId\":\"m" + id + "\",\"properties\":{\"price\":0.10}}],"
                        + "\"requestIP\":\"10.1.2.3\",\"writeKey\":\"secret-key\",\"receivedAt\":\"2024-05-01T10:00:00.123Z\"}";
        Job job = new Job(
                id,
                UUID.randomUUID(),
                "hdr<<>>anon<<>>u1",
                "ws-1",
                0,
                "GW",
                params,
                payload,
                1,
                payload.length(),
                Instant.parse("2024-05-01T10:00:01Z"),
                null);
        return GwJob.parse(job);
    }

    static BatchWork accepted(GwJob... jobs) {
        BatchWork work = new BatchWork(List.of(jobs));
        for (GwJob j : jobs)
            work.accepted().add(new BatchWork.Accepted(j, null, j.events().getFirst()));
        return work;
    }

    @Test
    void eachAcceptedEventBecomesAnArchiveLineKeyedBySourceAndReceiveTime() {
        List<NewJob> arc = ArcJobs.of(accepted(gw(7, "{\"source_id\":\"src-1\"}")));
        assertThat(arc).hasSize(1);
        NewJob job = arc.getFirst();
        assertThat(job.userId()).isEqualTo("hdr<<>>anon<<>>u1");
        assertThat(job.workspaceId()).isEqualTo("ws-1");
        JsonNode params = EventJson.MAPPER.readTree(job.parameters());
        assertThat(params.path("source_id").asString()).isEqualTo("src-1");
        assertThat(params.path("received_at").asString()).isEqualTo("2024-05-01T10:00:00.123Z");
        JsonNode line = EventJson.MAPPER.readTree(job.payload());
        assertThat(line.path("messageId").asString()).isEqualTo("m7");
        assertThat(line.path("requestIP").asString()).isEqualTo("10.1.2.3");
        assertThat(line.path("jobId").asLong()).isEqualTo(7);
        assertThat(line.path("payload").path("properties").toString()).isEqualTo("{\"price\":0.10}");
        assertThat(job.payload()).doesNotContain("secret-key"); // the write key stays out of the archive
    }

    @Test
    void rEtlRunsAndReplayedEventsAreNotArchivedAgain() {
        assertThat(ArcJobs.of(accepted(
                        gw(1, "{\"source_id\":\"s\",\"source_job_run_id\":\"run-1\"}"),
                        gw(2, "{\"source_id\":\"s\",\"archive_replay\":5}"))))
                .isEmpty();
    }

    @Test
    void eventsThatDidNotPassDedupAreNotArchived() {
        BatchWork work = new BatchWork(List.of(gw(3, "{\"source_id\":\"s\"}")));
        assertThat(ArcJobs.of(work)).isEmpty();
    }
}
