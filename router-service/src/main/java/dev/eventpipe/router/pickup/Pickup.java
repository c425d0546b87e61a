package dev.eventpipe.router.pickup;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobPage;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.delivery.DestinationWorkers;
import dev.eventpipe.router.delivery.Worker;
import dev.eventpipe.router.delivery.WorkerPool;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.BlockedKeys;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.ordering.OrderKey;
import dev.eventpipe.router.stats.Outcome;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.status.StatusJson;
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

/**
 * One pickup (rs:router/handle.go {@code pickup}): reads deliverable jobs of the owned partitions, destination by
 * destination (each with its own read window, so one destination's backlog never hides another's jobs; rudder-server
 * likewise picks up per destination), in job id order, and decides for each: drain it, hold it behind its user's failing job ({@code waiting}, naming the blocker), keep
 * it for a later pickup (its worker is full, the rate limit is spent, an
 * earlier job of its user is being retried, or jobs of its user handed over earlier are not settled, see
 * {@link InFlight}), or hand it to its worker. Once a user's job is held, all later jobs
 * of that user and destination are held too, which is what keeps the order.
 */
public final class Pickup {
    private final JobsDb rt;
    private final BlockedKeys blockedKeys;
    private final WorkerPool pool;
    private final RouterProperties properties;
    private final WorkspaceConfigClient config;
    private final InFlight inFlight;
    private final Barrier barrier;
    /** Destinations missing from the config, and since when (their jobs wait out the grace before a drain). */
    private final MissingDestinations missing;

    public Pickup(
            JobsDb rt,
            WorkerPool pool,
            RouterProperties properties,
            WorkspaceConfigClient config,
            InFlight inFlight,
            Barrier barrier) {
        this.rt = rt;
        this.blockedKeys = new BlockedKeys(rt);
        this.pool = pool;
        this.properties = properties;
        this.config = config;
        this.inFlight = inFlight;
        this.barrier = barrier;
        this.missing = new MissingDestinations(properties.missingDestinationGrace());
    }

    /** The decisions of one pickup: statuses to write first, then jobs to hand over. */
    record Batch(
            List<StatusUpdate> statuses,
            Set<Integer> partitions,
            List<Outcome> drained,
            List<RtJob> drainedJobs,
            List<Map.Entry<Worker, RtJob>> dispatches,
            Map<String, UnprocessedFloor> floors,
            Map<OrderKey, Long> parked) {
        Batch(Map<OrderKey, Long> parked) {
            this(
                    new ArrayList<>(),
                    new HashSet<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new HashMap<>(),
                    parked);
        }

        /** Where each destination's search for unprocessed jobs starts next time, and the users parked. */
        ReadPositions next() {
            Map<String, Long> next = new HashMap<>();
            floors.forEach((destination, floor) -> next.put(destination, floor.next()));
            return new ReadPositions(next, Map.copyOf(parked));
        }

        boolean isEmpty() {
            return statuses.isEmpty();
        }
    }

    /**
     * Where finished jobs end once this batch's statuses are committed: every unprocessed job at or below it has
     * a status then, so the next pickup searches for unprocessed jobs above it only (jobs are commit-ordered, so
     * none can appear below it later). Jobs kept without a status keep the floor below them. Kept per destination
     * (each reads only its own jobs); {@link #covered} lets a quiet destination's floor follow the queue's end.
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

        /** The read returned every job of its destination up to {@code lastJobId}: none is left below it. */
        void covered(long lastJobId) {
            highestSeen = Math.max(highestSeen, lastJobId);
        }

        long next() {
            return lowestKept == Long.MAX_VALUE ? highestSeen : Math.max(start, lowestKept - 1);
        }
    }

    /**
     * Where a pickup's reads of unprocessed jobs start: per destination id (and {@link #OTHERS}) a floor (every job
     * of it at or below has a status, is in flight or belongs to a parked user), and the parked users. A user is
     * parked while its jobs cannot go (its first unresolved job failed and is retried alone, or jobs of it are in
     * flight): the reads leave its jobs out in SQL ({@link JobQuery#holding}), so the floor passes them and no pickup
     * reads them again. Each parked user has its own position: none of its jobs without a status lies at or below it.
     * Once the user can go again it is unparked and its destination's floor goes back down to that position, once. A destination
     * without an entry is searched from the start.
     */
    record ReadPositions(Map<String, Long> floors, Map<OrderKey, Long> parked) {
        static final ReadPositions START = new ReadPositions(Map.of(), Map.of());
    }

    /** Whether the user's jobs cannot go now (see {@link ReadPositions}). */
    private boolean blocked(OrderKey key, Map<OrderKey, BlockedKeys.Pending> pending) {
        if (inFlight.has(key)) return true;
        BlockedKeys.Pending first = pending.get(key);
        return first != null && first.failed() && !first.recovered();
    }

    Batch run(Set<Integer> owned, Instant now, ReadPositions positions) {
        Map<OrderKey, BlockedKeys.Pending> pending = blockedKeys.firstPending(owned, now);
        // read before the jobs: every job at or below it is visible to the reads that follow
        long lastJobId = rt.lastJobId();
        ConfigIndex index = config.current();
        Map<String, Long> floors = new HashMap<>(positions.floors());
        Map<OrderKey, Long> parked = new HashMap<>();
        // a user that can go again: its destination's floor goes back to it (its jobs above were never read)
        positions.parked().forEach((key, position) -> {
            if (blocked(key, pending)) parked.put(key, position);
            else floors.merge(key.destinationId(), position, Math::min);
        });
        // a user whose first unresolved job failed (retried alone, or in backoff): none of its jobs without a status
        // lies below that job (a user's jobs get statuses in job id order), so the floor may pass all of them
        pending.forEach((key, first) -> {
            if (blocked(key, pending)) parked.merge(key, first.jobId(), Math::min);
        });
        Picking picking = new Picking(pending, index, now, new Batch(parked));
        Set<String> known = destinationIds(index);
        missing.present(known);
        for (String destinationId : known) {
            Set<JobQuery.User> held = new HashSet<>();
            parked.keySet().forEach(key -> {
                if (key.destinationId().equals(destinationId))
                    held.add(new JobQuery.User(key.workspaceId(), key.userId()));
            });
            JobQuery query = JobQuery.first(properties.jobQueryBatchSize())
                    .partitions(owned)
                    .destination(destinationId)
                    .holding(held);
            pickDestination(destinationId, query, floors, lastJobId, picking);
        }
        // jobs of destinations the config does not list (deleted ones are drained)
        JobQuery others =
                JobQuery.first(properties.jobQueryBatchSize()).partitions(owned).excludingDestinations(known);
        pickDestination(OTHERS, others, floors, lastJobId, picking);
        return picking.batch();
    }

    /** The floor key of the jobs whose destination is not in the config. */
    static final String OTHERS = "";

    /** The state of one pickup, shared by its destinations: keys are per destination, so they never mix. */
    private record Picking(
            Map<OrderKey, BlockedKeys.Pending> pending,
            ConfigIndex index,
            Instant now,
            Batch batch,
            Set<Long> seen,
            Set<OrderKey> held,
            Map<Worker, Integer> reserved) {
        Picking(Map<OrderKey, BlockedKeys.Pending> pending, ConfigIndex index, Instant now, Batch batch) {
            this(pending, index, now, batch, new HashSet<>(), new HashSet<>(), new HashMap<>());
        }
    }

    /**
     * Up to {@code maxQueriesPerPickup} pages of one destination's deliverable jobs, whose payloads together come to
     * about {@code payload-limit} (counted in SQL, review P2-1): over it by at most one job, since each page returns
     * at least one so that an oversized job is still read. The limit is per destination, not per pickup.
     */
    private void pickDestination(
            String floorKey, JobQuery query, Map<String, Long> floors, long lastJobId, Picking picking) {
        Batch batch = picking.batch();
        UnprocessedFloor floor = new UnprocessedFloor(floors.getOrDefault(floorKey, 0L));
        batch.floors().put(floorKey, floor);
        int size = properties.jobQueryBatchSize();
        int dispatched = 0;
        long after = 0;
        long bytesLeft = properties.payloadLimit().toBytes();
        for (int q = 0; q < properties.maxQueriesPerPickup() && dispatched < size && bytesLeft > 0; q++) {
            JobPage page = rt.fetchDeliverable(
                    query.after(after).unprocessedAbove(floor.start).withPayloadLimit(bytesLeft), picking.now());
            for (Job job : page.jobs()) {
                bytesLeft -= job.payloadSize();
                // a page must start after the previous one; a job seen twice would be handed over twice
                if (job.jobId() <= after) continue;
                after = job.jobId();
                picking.seen().add(job.jobId());
                int statuses = batch.statuses().size();
                int dispatches = batch.dispatches().size();
                consider(RtJob.of(job), picking);
                dispatched += batch.dispatches().size() - dispatches;
                if (job.lastStatus() == null)
                    floor.seen(job.jobId(), batch.statuses().size() > statuses);
            }
            // a page the payload limit cut short is not the end of the destination's jobs: the floor stays where the
            // jobs read so far put it (a jump to lastJobId would skip the unprocessed jobs after the cut)
            if (page.jobs().size() < size && !page.cutByBytes()) {
                floor.covered(lastJobId);
                return;
            }
        }
    }

    private static Set<String> destinationIds(ConfigIndex index) {
        Set<String> ids = new java.util.TreeSet<>();
        for (var workspace : index.workspaces().values())
            for (var source : workspace.sources())
                for (var destination : source.destinations()) ids.add(destination.id());
        return ids;
    }

    private void consider(RtJob job, Picking picking) {
        Map<OrderKey, BlockedKeys.Pending> pending = picking.pending();
        Set<Long> seen = picking.seen();
        Set<OrderKey> held = picking.held();
        Map<Worker, Integer> reserved = picking.reserved();
        ConfigIndex index = picking.index();
        Instant now = picking.now();
        Batch batch = picking.batch();
        DestinationSettings settings = properties.forType(job.destinationType());
        switch (Drain.decide(job, index, config.lastSync().orElse(null), settings, now, missing)) {
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
                        StatusUpdate.waiting(job.jobId(), job.attempts(), now, blocker)
                                .withResponse("", response)
                                .withFirstAttemptedAt(job.firstAttemptedAt()));
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
                StatusUpdate.executing(job.jobId(), job.attempts() + 1, now)
                        .withResponse("", response)
                        .withFirstAttemptedAt(job.firstAttemptedAt()));
        batch.dispatches().add(Map.entry(worker, job));
        // parked from now on: the user's jobs above it are not read while it is in flight
        batch.parked().merge(job.key(), job.jobId(), Math::min);
        // a retry goes alone: the user's later jobs wait for its outcome; a recovered job (a process stopped while
        // it was executing: nobody answered it) goes with them, in order
        if (job.lastState() == JobState.FAILED && !job.recovered()) held.add(job.key());
    }

    private static void drain(RtJob job, String reason, Instant now, Batch batch) {
        String response = StatusJson.reason(reason, job.firstAttemptedAt());
        add(
                batch,
                job,
                StatusUpdate.aborted(job.jobId(), job.attempts(), now)
                        .withResponse(Drain.CODE, response)
                        .withFirstAttemptedAt(job.firstAttemptedAt()));
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
