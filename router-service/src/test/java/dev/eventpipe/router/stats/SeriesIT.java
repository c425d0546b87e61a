package dev.eventpipe.router.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** What the delivery charts read: points per step, latency percentiles and error codes, of one workspace. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SeriesIT {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {}, new String[] {}));
        r.add("workspace-config.path", config::toString);
    }

    @Autowired
    DeliveryStats stats;

    @Autowired
    SeriesController series;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aWorkspacesOutcomesShowAsPointsPercentilesAndErrorShares() {
        String ws = "ws-" + UUID.randomUUID();
        String other = "ws-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 9; i++) outcomes.add(outcome(ws, "d1", JobState.SUCCEEDED, now, 80, ""));
        outcomes.add(outcome(ws, "d1", JobState.SUCCEEDED, now, 1500, ""));
        outcomes.add(outcome(ws, "d1", JobState.FAILED, now, 10, "503"));
        outcomes.add(outcome(ws, "d2", JobState.ABORTED, now, 10, "400"));
        outcomes.add(outcome(ws, "d2", JobState.ABORTED, now, 10, "400"));
        outcomes.add(outcome(ws, "d2", JobState.FILTERED, now, 10, ""));
        outcomes.add(outcome(other, "d9", JobState.ABORTED, now, 10, "500"));
        tx.executeWithoutResult(s -> stats.record(outcomes));

        SeriesController.Series all = series.series("1h", ws, null);
        assertThat(all.points()).hasSize(60);
        long delivered = all.points().stream()
                .mapToLong(SeriesController.Point::delivered)
                .sum();
        long retrying = all.points().stream()
                .mapToLong(SeriesController.Point::retrying)
                .sum();
        long aborted =
                all.points().stream().mapToLong(SeriesController.Point::aborted).sum();
        long filtered = all.points().stream()
                .mapToLong(SeriesController.Point::filtered)
                .sum();
        assertThat(List.of(delivered, retrying, aborted, filtered)).containsExactly(10L, 1L, 2L, 1L);
        assertThat(all.latency().deliveries()).isEqualTo(10);
        assertThat(all.latency().p50()).isBetween(50.0, 100.0);
        assertThat(all.latency().p99()).isBetween(1000.0, 2000.0);
        assertThat(all.errors())
                .extracting(SeriesController.ErrorCode::code, SeriesController.ErrorCode::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("400", 2L), org.assertj.core.groups.Tuple.tuple("503", 1L));
        assertThat(all.errors().get(0).share()).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));

        SeriesController.Series d2 = series.series("7d", ws, "d2");
        assertThat(d2.points()).hasSize(84);
        assertThat(d2.latency().deliveries()).isZero();
        assertThat(d2.latency().p50()).isNull();
        assertThat(d2.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.share()).isEqualTo(1.0));
    }

    private static Outcome outcome(String ws, String destination, JobState state, Instant at, long lagMs, String code) {
        return new Outcome(ws, destination, "WEBHOOK", state, at, Duration.ofMillis(5), Duration.ofMillis(lagMs), code);
    }
}
