package dev.eventpipe.processor.stats;

import java.util.Map;
import java.util.TreeMap;

/** Counts gathered while a batch is processed, written with the batch (so a rolled-back batch counts nothing). */
public final class StageCounts {
    /** What one count is about; destination "" for counts per source. */
    public record Key(String workspaceId, String sourceId, String destinationId, Stage stage)
            implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = workspaceId.compareTo(o.workspaceId);
            if (c == 0) c = sourceId.compareTo(o.sourceId);
            if (c == 0) c = destinationId.compareTo(o.destinationId);
            return c != 0 ? c : stage.compareTo(o.stage);
        }
    }

    // sorted, so concurrent replicas upsert shared rows in the same order and cannot deadlock
    private final Map<Key, Long> counts = new TreeMap<>();

    public void add(String workspaceId, String sourceId, String destinationId, Stage stage, long n) {
        if (n != 0) counts.merge(new Key(workspaceId, sourceId, destinationId, stage), n, Long::sum);
    }

    public Map<Key, Long> asMap() {
        return counts;
    }

    public long total(Stage stage) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().stage() == stage)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
