package dev.eventpipe.processor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.processor.TestWorkspace;
import dev.eventpipe.testkit.TestPostgres;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The funnel series of a workspace, and of one destination (whose received is what reached its stage). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SeriesIT {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestPostgres.register(r);
        r.add("workspace-config.path", () -> TestWorkspace.write().toString());
        r.add("processor.transformer.url", () -> "http://127.0.0.1:9");
    }

    @Autowired
    StatsRepository repository;

    @Autowired
    SeriesController series;

    @Test
    void aWorkspacesFunnelIsCountedPerStepAndPerDestination() {
        String ws = "ws-" + UUID.randomUUID();
        StageCounts counts = new StageCounts();
        counts.add(ws, "src", "", Stage.RECEIVED, 10);
        counts.add(ws, "src", "d1", Stage.FILTERED, 2);
        counts.add(ws, "src", "d1", Stage.STORED, 8);
        counts.add(ws, "src", "d2", Stage.TRANSFORMATION_FAILED, 1);
        counts.add(ws, "src", "d2", Stage.STORED, 9);
        counts.add("ws-other", "src-other", "", Stage.RECEIVED, 50);
        repository.add(counts, Instant.now());

        SeriesController.Series all = series.series("24h", ws, null);
        assertThat(all.points()).hasSize(96);
        assertThat(sum(all.points(), SeriesController.Point::received)).isEqualTo(10);
        assertThat(sum(all.points(), SeriesController.Point::filtered)).isEqualTo(2);
        assertThat(sum(all.points(), SeriesController.Point::transformationFailed))
                .isEqualTo(1);
        assertThat(sum(all.points(), SeriesController.Point::transformed)).isEqualTo(17);

        SeriesController.Series d1 = series.series("1h", ws, "d1");
        assertThat(sum(d1.points(), SeriesController.Point::received)).isEqualTo(10);
        assertThat(sum(d1.points(), SeriesController.Point::transformed)).isEqualTo(8);
        SeriesController.Series d2 = series.series("7d", ws, "d2");
        assertThat(sum(d2.points(), SeriesController.Point::received)).isEqualTo(10);
        assertThat(sum(d2.points(), SeriesController.Point::transformationFailed))
                .isEqualTo(1);
    }

    private static long sum(List<SeriesController.Point> points, ToLongFunction<SeriesController.Point> f) {
        return points.stream().mapToLong(f).sum();
    }
}
