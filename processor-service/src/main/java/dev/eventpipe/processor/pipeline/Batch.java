package dev.eventpipe.processor.pipeline;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gw jobs fetched (still unprocessed in the database until the batch commits), in job id order, with the partitions
 * they belong to and the partitions' loss counters from before the fetch (see LeaseEvents).
 */
public record Batch(List<GwJob> jobs, Set<Integer> partitions, Map<Integer, Long> lossMarks) {
    public long lastJobId() {
        return jobs.getLast().jobId();
    }

    /** The jobs {@code [from, to)}, with only their partitions and those partitions' loss marks. */
    public Batch slice(int from, int to) {
        List<GwJob> part = List.copyOf(jobs.subList(from, to));
        Set<Integer> owned = new TreeSet<>();
        for (GwJob job : part) owned.add(job.job().partition());
        Map<Integer, Long> marks = new HashMap<>(lossMarks);
        marks.keySet().retainAll(owned);
        return new Batch(part, owned, marks);
    }

    /** The gw payload bytes of the batch, as stored ({@code payload_size}). */
    public long payloadBytes() {
        long sum = 0;
        for (GwJob job : jobs) sum += job.job().payloadSize();
        return sum;
    }

    public Instant oldestCreatedAt() {
        return jobs.getFirst().job().createdAt();
    }
}
