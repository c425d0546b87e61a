package dev.eventpipe.router.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBinsTest {
    @Test
    void aLatencyFallsInTheFirstBinWhoseUpperBoundHoldsIt() {
        assertThat(LatencyBins.binOf(Duration.ZERO)).isZero();
        assertThat(LatencyBins.binOf(Duration.ofMillis(5))).isEqualTo(2);
        assertThat(LatencyBins.binOf(Duration.ofMillis(6))).isEqualTo(3);
        assertThat(LatencyBins.binOf(Duration.ofHours(1))).isEqualTo(LatencyBins.count() - 1);
    }

    @Test
    void aPercentileIsInterpolatedInsideTheBinThatReachesIt() {
        long[] counts = new long[LatencyBins.count()];
        counts[LatencyBins.binOf(Duration.ofMillis(80))] = 90; // (50, 100]
        counts[LatencyBins.binOf(Duration.ofMillis(1500))] = 10; // (1000, 2000]
        assertThat(LatencyBins.percentile(counts, 0.5)).isCloseTo(50 + 50 * (50 / 90.0), within(0.001));
        assertThat(LatencyBins.percentile(counts, 0.95)).isCloseTo(1500.0, within(0.001));
        assertThat(LatencyBins.percentile(counts, 0.99)).isCloseTo(1900.0, within(0.001));
    }

    @Test
    void aBinsLabelIsItsNumberZeroPadded() {
        for (int bin = 0; bin < LatencyBins.count(); bin++)
            assertThat(LatencyBins.label(bin)).isEqualTo("%02d".formatted(bin));
        assertThat(LatencyBins.label(2)).isEqualTo("02");
        assertThat(LatencyBins.label(LatencyBins.count() - 1)).isEqualTo("18");
    }

    @Test
    void anEmptyHistogramHasNoPercentile() {
        assertThat(LatencyBins.percentile(new long[LatencyBins.count()], 0.5)).isNull();
    }
}
