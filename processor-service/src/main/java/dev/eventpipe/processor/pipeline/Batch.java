package dev.eventpipe.processor.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gw jobs fetched and marked executing, in job id order, with the partitions they belong to and the partitions'
 * loss counters at fetch time (see LeaseEvents).
 */
public record Batch(List<GwJob> jobs, Set<Integer> partitions, Map<Integer, Long> lossMarks) {
    public long lastJobId() {
        return jobs.getLast().jobId();
    }

    public Instant oldestCreatedAt() {
        return jobs.getFirst().job().createdAt();
    }
}
