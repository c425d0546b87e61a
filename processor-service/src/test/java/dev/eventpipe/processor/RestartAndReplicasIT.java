package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/** Restarts, crashes and replicas: several processor applications, one after another or side by side. */
class RestartAndReplicasIT extends TestBedCase {
    @Test
    void aMessageIdSeenBeforeARestartIsStillADuplicateAfterIt() {
        ObjectNode event = GwJobs.track("anon-r", "Signed Up");
        ConfigurableApplicationContext first = bed.processor("first");
        long a =
                GwJobs.create().add("src-1", "wk-1", event).store(bed.jobsDbs()).getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "succeeded".equals(rows.gw(a).state()));
        first.close();

        bed.processor("second");
        long b = GwJobs.create()
                .add("src-1", "wk-1", event.deepCopy())
                .store(bed.jobsDbs())
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "filtered".equals(rows.gw(b).state()));
        assertThat(rows.gw(b).errorResponse().path("reason").asString()).isEqualTo("duplicate messageId");
        assertThat(rows.rtCount("src-1")).isEqualTo(1);
    }

    @Test
    void aProcessKilledBetweenFetchAndCommitLosesNothingAndDoublesNothing() {
        bed.transformer().hold();
        ConfigurableApplicationContext doomed = bed.processor("doomed");
        List<Long> ids = bed.storeInterleaved(4, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.transformer().held() > 0);
        assertThat(rows.gwStatusRows()).as("the fetch writes no status").isZero();

        Processors.kill(doomed);
        bed.transformer().release();
        assertThat(rows.rtCount("src-1")).isZero();

        ConfigurableApplicationContext survivor = bed.processor("survivor");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-1") >= ids.size());
        assertExactlyOnceInOrder(4, 10);
        assertThat(rows.gwInState("succeeded")).isEqualTo(ids.size());
        assertThat(Processors.owned(survivor)).isEqualTo(64);
    }

    @Test
    void aProcessKilledWithSeveralBatchesInFlightLosesNothingDoublesNothingAndKeepsOrder() {
        bed.transformer().hold();
        ConfigurableApplicationContext doomed = bed.processor(
                "doomed",
                "processor.batch.max-jobs=10",
                "processor.pipeline.max-batches-in-flight=3",
                "processor.pipeline.transform-threads=2");
        List<Long> ids = bed.storeInterleaved(4, 10); // 4 users x 10 events: four batches of 10
        // the pipeline fills and stops there: three batches fetched (their jobs still without a status), two of
        // them held in the transformer by the two workers, the third waiting for a worker; the fourth is not fetched
        await().atMost(Duration.ofSeconds(20))
                .until(() -> bed.transformer().held() == 2 && Processors.batchesInFlight(doomed) == 3);
        assertThat(rows.gwStatusRows()).isZero();
        assertThat(rows.rtCount("src-1")).isZero();

        Processors.kill(doomed);
        bed.transformer().release();
        assertThat(rows.rtCount("src-1")).isZero();

        ConfigurableApplicationContext survivor = bed.processor("survivor", "processor.batch.max-jobs=10");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-1") >= ids.size());
        assertExactlyOnceInOrder(4, 10);
        assertThat(rows.gwInState("succeeded")).isEqualTo(ids.size());
        assertThat(Processors.owned(survivor)).isEqualTo(64);
    }

    @Test
    void twoReplicasSharePartitionsAndTheSurvivorOfAKillFinishesExactlyOnceInOrder() {
        ConfigurableApplicationContext a = bed.processor("replica-a", "processor.batch.max-jobs=50");
        ConfigurableApplicationContext b = bed.processor("replica-b", "processor.batch.max-jobs=50");
        await().atMost(Duration.ofSeconds(20)).until(() -> Processors.owned(a) == 32 && Processors.owned(b) == 32);

        bed.transformer().delay(5);
        int users = 60;
        int perUser = 50;
        bed.storeInterleaved(users, perUser);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows.rtCount("src-1") >= 600);
        Processors.kill(a);

        await().atMost(Duration.ofSeconds(90)).until(() -> rows.rtCount("src-1") >= users * perUser);
        assertExactlyOnceInOrder(users, perUser);
        assertThat(Processors.owned(b)).isEqualTo(64);
    }

    private void assertExactlyOnceInOrder(int users, int perUser) {
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> rows.rtCount("src-1") == users * perUser);
        assertThat(bed.assertOncePerMessageInOrder(users)).hasSize(users * perUser);
        assertThat(rows.gwJobsWithoutExactlyOneStatus()).isZero();
    }
}
