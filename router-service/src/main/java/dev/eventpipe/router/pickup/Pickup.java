package dev.eventpipe.router.pickup;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.ordering.OrderKey;
import dev.eventpipe.router.stats.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One pickup (rs:router/handle.go {@code pickup}): reads deliverable jobs of the owned partitions in job id order
 * and decides for each: drain it, hold it behind its user's failing job ({@code waiting}, naming the blocker), keep
 * it for a later pickup (its worker is full, the rate limit is spent, an
 * earlier job of its user is being retried, or jobs of its user handed over earlier are not settled, see
 * {@link InFlight}), or hand it to its worker. Once a user's job is held, all later jobs
 * of that user and destination are held too, which is what keeps the order.
 */
final class Pickup {
    private final JobsDb rt;
    private final BlockedKeys blockedKeys;
    private final WorkerPool pool;
    private final RouterProperties properties;
    private final Supplier<ConfigIndex> config;
    private final Supplier<@Nullable Instant> configSyncedAt;
    private final InFlight inFlight;
    private final Barrier barrier;

    Pickup(
            JobsDb rt,
            BlockedKeys blockedKeys,
            WorkerPool pool,
            RouterProperties properties,
            Supplier<ConfigIndex> config,
            Supplier<@Nullable Instant> configSyncedAt,
            InFlight inFlight,
            Barrier barrier) {
        this.configSyncedAt = configSyncedAt;
        this.inFlight = inFlight;
        this.barrier = barrier;
        this.rt = rt;
        this.blockedKeys = blockedKeys;
        this.pool = pool;
        this.properties = properties;
        this.config = config;
    }

    /** The decisions of one pickup: statuses to write first, then jobs to hand over. */
    record Batch(
            List<StatusUpdate> statuses,
            Set<Integer> partitions,
            List<Outcome> drained,
            List<RtJob> drainedJobs,
            List<Map.Entry<Worker, RtJob>> dispatches,
            UnprocessedFloor floor) {
        Batch(long floor) {
            this(
                    new ArrayList<>(),
                    new HashSet<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new UnprocessedFloor(floor));
        }

        boolean isEmpty() {
            return statuses.isEmpty();
        }
    }

    /**
     * Where finished jobs end once this batch's statuses are committed: every unprocessed job at or below it has
     * a status then, so the next pickup searches for unprocessed jobs above it only (jobs are commit-ordered, so
     * none can appear below it later). Jobs kept without a status keep the floor below them.
     */
    static final class UnprocessedFloor {
        private final long start;
        private long highestSeen;
        private long lowestKept = Long.MAX_VALUE;

        UnprocessedFloor(long start) {
            this.start = start;
            this.highestSeen = start;
        }

        void seen(long jobId, boolean gotStatus) {
            highestSeen = Math.max(highestSeen, jobId);
            if (!gotStatus) lowestKept = Math.min(lowestKept, jobId);
        }

        long next() {
            return lowestKept == Long.MAX_VALUE ? highestSeen : Math.max(start, lowestKept - 1);
        }
    }

    Batch run(Set<Integer> owned, Instant now, long unprocessedFloor) {
        Map<OrderKey, BlockedKeys.Pending> pending = blockedKeys.firstPending(owned, now);
        Set<Long> seen = new HashSet<>();
        Set<OrderKey> held = new HashSet<>();
        Map<Worker, Integer> reserved = new HashMap<>();
        ConfigIndex index = config.get();
        Batch batch = new Batch(unprocessedFloor);
        int size = properties.jobQueryBatchSize();
        long after = 0;
        for (int q = 0;
                q < properties.maxQueriesPerPickup() && batch.dispatches().size() < size;
                q++) {
            List<Job> page = rt.fetchToProcess(
                    JobQuery.first(size)
                            .after(after)
                            .unprocessedAbove(unprocessedFloor)
                            .partitions(owned),
                    now);
            for (Job job : page) {
                // a page must start after the previous one; a job seen twice would be handed over twice
                if (job.jobId() <= after) continue;
                after = job.jobId();
                seen.add(job.jobId());
                int statuses = batch.statuses().size();
                consider(RtJob.of(job), pending, seen, held, reserved, index, now, batch);
                if (job.lastStatus() == null)
                    batch.floor().seen(job.jobId(), batch.statuses().size() > statuses);
            }
            if (page.size() < size) break;
        }
        return batch;
    }

    private void consider(
            RtJob job,
            Map<OrderKey, BlockedKeys.Pending> pending,
            Set<Long> seen,
            Set<OrderKey> held,
            Map<Worker, Integer> reserved,
            ConfigIndex index,
            Instant now,
            Batch batch) {
        DestinationSettings settings = properties.forType(job.destinationType());
        switch (Drain.decide(job, index, configSyncedAt.get(), settings, now)) {
            case Drain.Abort abort -> {
                drain(job, abort.reason(), now, batch);
                return;
            }
            case Drain.NotYet notYet -> {
                held.add(job.key());
                return;
            }
            case Drain.Deliver deliver -> {}
        }
        BlockedKeys.Pending first = pending.get(job.key());
        if (first != null && first.jobId() < job.jobId() && !seen.contains(first.jobId())) {
            long blocker = first.jobId();
            // written once per blocker, so a long backoff does not add a status row per pickup
            if (first.inBackoff() && !Objects.equals(job.waitingBehind(), blocker)) {
                String response = StatusJson.waiting(blocker, job.job().userId(), job.firstAttemptedAt());
                add(
                        batch,
                        job,
                        new StatusUpdate(job.jobId(), JobState.WAITING, job.attempts(), now, now, "", response, "{}"));
            }
            held.add(job.key());
            return;
        }
        // a failure a worker saw after the snapshot above: the job is not stored as failed yet
        Optional<Long> failing = barrier.blockerOf(job.key(), job.jobId());
        if (failing.isPresent() && !seen.contains(failing.get())) held.add(job.key());
        if (held.contains(job.key())) return;
        if (inFlight.has(job.key())) {
            held.add(job.key());
            return;
        }
        DestinationWorkers destination = pool.of(job.destinationId(), job.destinationType());
        Worker worker = destination.workerFor(job.key());
        int taken = reserved.getOrDefault(worker, 0);
        if (worker.freeSlots() <= taken || !destination.tryThrottle()) {
            held.add(job.key());
            return;
        }
        reserved.put(worker, taken + 1);
        String response = StatusJson.executing(job.firstAttemptedAt());
        add(
                batch,
                job,
                new StatusUpdate(job.jobId(), JobState.EXECUTING, job.attempts() + 1, now, now, "", response, "{}"));
        batch.dispatches().add(Map.entry(worker, job));
        // a retry goes alone: the user's later jobs wait for its outcome
        if (job.lastState() == JobState.FAILED) held.add(job.key());
    }

    private static void drain(RtJob job, String reason, Instant now, Batch batch) {
        String response = StatusJson.reason(reason, job.firstAttemptedAt());
        add(
                batch,
                job,
                new StatusUpdate(job.jobId(), JobState.ABORTED, job.attempts(), now, now, Drain.CODE, response, "{}"));
        Duration lag = Duration.between(job.job().createdAt(), now);
        batch.drained()
                .add(new Outcome(
                        job.job().workspaceId(),
                        job.destinationId(),
                        job.destinationType(),
                        JobState.ABORTED,
                        now,
                        null,
                        lag.isNegative() ? Duration.ZERO : lag));
        batch.drainedJobs().add(job);
    }

    private static void add(Batch batch, RtJob job, StatusUpdate status) {
        batch.statuses().add(status);
        batch.partitions().add(job.partition());
    }
}
