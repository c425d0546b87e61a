package dev.eventpipe.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobReportTest {
    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void aJobWithAnRtJobSucceedsAndStillListsWhatWasDropped() {
        JobReport r = new JobReport();
        r.stored(1);
        r.failed(new JobReport.Note("d2", "destination_transformation", 400, "bad"));
        var status = r.status(7, 1, NOW);
        assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(status.errorCode()).isEqualTo("200");
        assertThat(Json.mapper()
                        .readTree(status.errorResponse())
                        .path("failures")
                        .path(0)
                        .path("reason")
                        .asString())
                .isEqualTo("bad");
    }

    @Test
    void aJobThatOnlyFailedIsAbortedAndOneThatWasOnlyFilteredIsFiltered() {
        JobReport failed = new JobReport();
        failed.failed(new JobReport.Note("d", "user_transformation", 400, "TypeError"));
        assertThat(failed.state()).isEqualTo(JobState.ABORTED);

        JobReport filtered = new JobReport();
        filtered.filtered(new JobReport.Note("d", "consent", 298, "denied consent"));
        assertThat(filtered.state()).isEqualTo(JobState.FILTERED);
        assertThat(filtered.status(1, 1, NOW).errorCode()).isEqualTo("298");
    }

    @Test
    void aDuplicateIsFilteredWithItsReason() {
        JobReport r = new JobReport();
        r.duplicate();
        var status = r.status(1, 1, NOW);
        assertThat(status.state()).isEqualTo(JobState.FILTERED);
        assertThat(Json.mapper().readTree(status.errorResponse()).path("reason").asString())
                .isEqualTo("duplicate messageId");
    }

    @Test
    void anInvalidJobIsAbortedWithTheReason() {
        JobReport r = new JobReport();
        r.invalid("the job has no event");
        assertThat(r.state()).isEqualTo(JobState.ABORTED);
    }
}
