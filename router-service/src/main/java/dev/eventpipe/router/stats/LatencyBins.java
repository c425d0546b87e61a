package dev.eventpipe.router.stats;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Fixed latency bins (roughly 1-2-5 per decade, 1 ms to 10 min, then one open bin) for the per-minute histograms
 * in {@code router_latency_stats}. A percentile read from summed histograms is exact to the bin: it is interpolated
 * linearly inside the bin where the cumulative count reaches it.
 */
final class LatencyBins {
    /** Upper bounds in ms, inclusive; the last bin takes everything above the last bound. */
    static final long[] UPPER_MS = {
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 60_000, 120_000, 300_000, 600_000
    };

    private static final String[] LABELS = new String[UPPER_MS.length + 1];

    static {
        for (int i = 0; i < LABELS.length; i++) LABELS[i] = "%02d".formatted(i);
    }

    private LatencyBins() {}

    /** A bin's key in {@code router_latency_stats}: zero-padded, so the text order of the bins is their numeric order. */
    static String label(int bin) {
        return LABELS[bin];
    }

    static int binOf(Duration latency) {
        long ms = Math.max(0, latency.toMillis());
        for (int i = 0; i < UPPER_MS.length; i++) if (ms <= UPPER_MS[i]) return i;
        return UPPER_MS.length;
    }

    static int count() {
        return UPPER_MS.length + 1;
    }

    /**
     * The {@code p}-quantile (0 &lt; p ≤ 1) in ms of a histogram ({@code counts[i]} = jobs in bin i), or {@code null}
     * when it is empty. The open last bin answers its lower bound.
     */
    static @Nullable Double percentile(long[] counts, double p) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0) return null;
        double rank = p * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            if (seen + counts[i] >= rank) {
                double low = i == 0 ? 0 : UPPER_MS[i - 1];
                if (i >= UPPER_MS.length) return low;
                double high = UPPER_MS[i];
                return low + (high - low) * ((rank - seen) / counts[i]);
            }
            seen += counts[i];
        }
        return (double) UPPER_MS[UPPER_MS.length - 1];
    }
}
