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
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

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

    /** The decisions of one pickup: statuses to write first, then jobs to hand over, and where the next one reads. */
    static final class Batch {
        private final List<StatusUpdate> statuses = new ArrayList<>();
        private final Set<Integer> partitions = new HashSet<>();
        private final List<Outcome> drained = new ArrayList<>();
        private final List<RtJob> drainedJobs = new ArrayList<>();
        private final List<Map.Entry<Worker, RtJob>> dispatches = new ArrayList<>();
        private final Map<String, UnprocessedFloor> floors = new HashMap<>();
        private final Map<OrderKey, Long> parked;
        private final Map<OrderKey, Long> catchingUp = new HashMap<>();
        private final Map<String, Long> graceFloors = new HashMap<>();
        private final long lastJobId;
        private boolean more;
        private @Nullable Instant othersReadAt;

        Batch(Map<OrderKey, Long> parked, long lastJobId) {
            this.parked = parked;
            this.lastJobId = lastJobId;
        }

        List<StatusUpdate> statuses() {
            return statuses;
        }

        Set<Integer> partitions() {
            return partitions;
        }

        List<Outcome> drained() {
            return drained;
        }

        List<RtJob> drainedJobs() {
            return drainedJobs;
        }

        List<Map.Entry<Worker, RtJob>> dispatches() {
            return dispatches;
        }

        Map<String, UnprocessedFloor> floors() {
            return floors;
        }

        Map<OrderKey, Long> parked() {
            return parked;
        }

        /**
         * True when a read stopped at its window cap and moved on: the next pickup should follow at once, not after
         * the poll interval.
         */
        boolean more() {
            return more;
        }

        /**
         * Where each destination's search for unprocessed jobs starts next time, and the users parked and catching
         * up. No floor goes past the last job id this pickup started from: a user left out of a destination's read
         * because it was catching up has been read up to there, no further.
         */
        ReadPositions next() {
            Map<String, Long> next = new HashMap<>();
            floors.forEach((destination, floor) -> next.put(destination, Math.min(lastJobId, floor.next())));
            return new ReadPositions(
                    next, Map.copyOf(parked), Map.copyOf(catchingUp), Map.copyOf(graceFloors), othersReadAt);
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
        // per user, the lowest job kept without a status (for the positions of users catching up)
        private final Map<OrderKey, Long> lowestKeptOf = new HashMap<>();

        UnprocessedFloor(long start) {
            this.start = start;
            this.highestSeen = start;
        }

        void seen(long jobId, boolean gotStatus) {
            highestSeen = Math.max(highestSeen, jobId);
            if (!gotStatus) lowestKept = Math.min(lowestKept, jobId);
        }

        void seen(OrderKey key, long jobId, boolean gotStatus) {
            seen(jobId, gotStatus);
            if (!gotStatus) lowestKeptOf.merge(key, jobId, Math::min);
        }

        /**
         * Where a user read from {@code position} (its own, above which the read took its jobs) stands now: below
         * its lowest job kept without a status, else as far as the read got. None of its jobs without a status lies
         * at or below it once this batch's statuses are committed.
         */
        long next(OrderKey key, long position) {
            Long kept = lowestKeptOf.get(key);
            return Math.max(position, kept == null ? highestSeen : kept - 1);
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
     * of it at or below has a status, is in flight or belongs to a parked or catching-up user), the parked users,
     * the users catching up per destination, and per destination missing from the config and in its grace, the
     * position below which its jobs were all read ({@code graceFloors}). A user is parked while its jobs cannot go
     * (its first unresolved job failed and is retried alone, or jobs of it are in flight or stuck here): the reads
     * leave its jobs out in SQL ({@link JobQuery#holding}), so the floor passes them and no pickup reads them again.
     * Each parked user has its own position: none of its jobs without a status lies at or below it. Once the user can
     * go again it catches up from that position (review P2-3): its jobs are read by a query of their own, which
     * filters on the users inside its windows and walks at most {@code max-windows-per-read} windows per pickup, and
     * it stays left out of its destination's read until its position reaches that read's floor. The destination's
     * floor never goes back for it (before, it went back to the user's position and the next read walked every id
     * above it, with no cap). A destination without an entry is searched from the start. {@code othersReadAt}: when
     * the read of {@link #OTHERS} last got to the end of the queue (null: never, or it stopped before), for
     * {@code missing-destination-read-interval}.
     */
    record ReadPositions(
            Map<String, Long> floors,
            Map<OrderKey, Long> parked,
            Map<OrderKey, Long> catchingUp,
            Map<String, Long> graceFloors,
            @Nullable Instant othersReadAt) {
        static final ReadPositions START = new ReadPositions(Map.of(), Map.of(), Map.of(), Map.of(), null);

        /**
         * The positions for fewer partitions: the floors still hold for a subset of the partitions they were read
         * for; parked and catching-up users of the others are forgotten.
         */
        ReadPositions within(Set<Integer> partitions) {
            Map<OrderKey, Long> keptParked = new HashMap<>();
            parked.forEach((key, position) -> {
                if (partitions.contains(key.partition())) keptParked.put(key, position);
            });
            Map<OrderKey, Long> keptCatching = new HashMap<>();
            catchingUp.forEach((key, position) -> {
                if (partitions.contains(key.partition())) keptCatching.put(key, position);
            });
            return new ReadPositions(
                    floors, Map.copyOf(keptParked), Map.copyOf(keptCatching), graceFloors, othersReadAt);
        }
    }

    /** Whether the user's jobs cannot go now (see {@link ReadPositions}). */
    private boolean blocked(OrderKey key, Map<OrderKey, BlockedKeys.Pending> pending) {
        if (inFlight.has(key)) return true;
        BlockedKeys.Pending first = pending.get(key);
        return first != null && first.failed() && !first.recovered();
    }

    /** Lowers a floor that has an entry (a floor without one is read from the start anyway). */
    private static void lower(Map<String, Long> floors, String floorKey, long position) {
        floors.computeIfPresent(floorKey, (k, floor) -> Math.min(floor, position));
    }

    Batch run(Set<Integer> owned, Instant now, ReadPositions positions) {
        Map<OrderKey, BlockedKeys.Pending> pending = blockedKeys.firstPending(owned, now);
        // read before the jobs: every job at or below it is visible to the reads that follow
        long lastJobId = rt.lastJobId();
        ConfigIndex index = config.current();
        Set<String> known = destinationIds(index);
        missing.present(known);
        Map<String, Long> floors = new HashMap<>(positions.floors());
        // a destination the config listed at the last pickup and no longer does: the read of the others goes back to
        // its floor and its users' positions, once, so its jobs that read has not covered are drained too (after the
        // grace)
        Set<String> gone = new HashSet<>();
        for (String destination : positions.floors().keySet())
            if (!destination.equals(OTHERS) && !known.contains(destination)) {
                gone.add(destination);
                lower(floors, OTHERS, floors.remove(destination));
            }
        Map<OrderKey, Long> parked = new HashMap<>();
        Map<OrderKey, Long> catching = new HashMap<>();
        // a parked user that can go again catches up from its position (its jobs above were never read)
        BiConsumer<OrderKey, Long> carry = (key, position) -> {
            if (!known.contains(key.destinationId())) {
                if (gone.contains(key.destinationId())) lower(floors, OTHERS, position);
            } else if (blocked(key, pending)) parked.merge(key, position, Math::min);
            else catching.merge(key, position, Math::min);
        };
        positions.parked().forEach(carry);
        positions.catchingUp().forEach(carry);
        // a user whose first unresolved job failed (retried alone, or in backoff): none of its jobs without a status
        // lies below that job (a user's jobs get statuses in job id order), so the floor may pass all of them
        pending.forEach((key, first) -> {
            if (blocked(key, pending)) parked.merge(key, first.jobId(), Math::min);
        });
        // a user with jobs in flight or stuck here (review P3-2: a stuck job's user was not parked after a change of
        // owned partitions, so its later jobs were read and kept on every pickup and pinned the floor below them), at
        // the highest of them (see consider); the position it was parked at when they were handed out is the same
        // one, and a failed user's first pending job above is lower, so the lowest of them stands
        inFlight.highestHeld(owned).forEach((key, highest) -> parked.merge(key, highest, Math::min));
        // a parked user is not catching up: its position keeps what it has not read
        catching.entrySet().removeIf(e -> {
            Long at = parked.get(e.getKey());
            if (at == null) return false;
            parked.put(e.getKey(), Math.min(at, e.getValue()));
            return true;
        });
        Batch batch = new Batch(parked, lastJobId);
        Picking picking = new Picking(pending, index, now, batch);
        int size = properties.jobQueryBatchSize();
        // the most one capped read walks: users within it of their destination's floor catch up together in one read,
        // the others (parked long) in another, so a long catch-up never delays a user that was parked briefly
        long span = (long) properties.maxWindowsPerRead() * JobQuery.first(size).window();
        for (String destinationId : known) {
            Budget budget = new Budget(properties.payloadLimit().toBytes());
            long floor = floors.getOrDefault(destinationId, 0L);
            Map<OrderKey, Long> near = new HashMap<>();
            Map<OrderKey, Long> far = new HashMap<>();
            catching.forEach((key, position) -> {
                // at or above the floor: caught up, the destination's read covers the rest
                if (!key.destinationId().equals(destinationId) || position >= floor) return;
                // (a user is not deferred when its worker is nearly full: the destination's read of the same pickup
                // would refill that worker with other users' jobs, and while the destination stays overloaded the
                // user would be passed over on every pickup; review 2026-11-30 18:15, P1-1. Its catch-up read is
                // limited to the room its worker has instead, see catchUp.)
                (position >= floor - span ? near : far).put(key, position);
            });
            catchUp(destinationId, near, owned, picking, budget);
            catchUp(destinationId, far, owned, picking, budget);
            Set<JobQuery.User> held = new HashSet<>();
            parked.keySet().forEach(key -> {
                if (key.destinationId().equals(destinationId))
                    held.add(new JobQuery.User(key.workspaceId(), key.userId()));
            });
            // users catching up stay out of the destination's read: their jobs go in order through their own
            for (OrderKey key : near.keySet()) held.add(new JobQuery.User(key.workspaceId(), key.userId()));
            for (OrderKey key : far.keySet()) held.add(new JobQuery.User(key.workspaceId(), key.userId()));
            JobQuery query = JobQuery.first(size)
                    .partitions(owned)
                    .destination(destinationId)
                    .holding(held);
            pickDestination(destinationId, query, floor, lastJobId, picking, budget);
        }
        // jobs of destinations the config does not list (deleted ones are drained); a destination in its grace is
        // left out (review 0650 P2-1: its jobs got no status, so every pickup read them again, up to the whole
        // window with payloads) from the read in which it was found, and read again from there once its grace ends
        Map<String, Long> grace = batch.graceFloors;
        Set<String> graceOver = new HashSet<>();
        positions.graceFloors().forEach((destination, position) -> {
            if (known.contains(destination)) return; // listed again: read by its own destination read
            if (missing.inGrace(destination, now)) grace.put(destination, position);
            else {
                lower(floors, OTHERS, position);
                graceOver.add(destination);
            }
        });
        Set<String> excluded = new HashSet<>(known);
        excluded.addAll(grace.keySet());
        long othersStart = floors.getOrDefault(OTHERS, 0L);
        if (othersDue(positions, floors, now) || !gone.isEmpty() || !graceOver.isEmpty()) {
            JobQuery others = JobQuery.first(properties.jobQueryBatchSize())
                    .partitions(owned)
                    .excludingDestinations(excluded);
            boolean toTheEnd = pickDestination(
                    OTHERS,
                    others,
                    othersStart,
                    lastJobId,
                    picking,
                    new Budget(properties.payloadLimit().toBytes()));
            batch.othersReadAt = toTheEnd ? now : null;
        } else {
            // not due: its floor (lowered above, if it was) and the grace floors are carried as they are, and the
            // jobs above it are read by a later pickup's read, capped as usual
            batch.floors().put(OTHERS, new UnprocessedFloor(othersStart));
            batch.othersReadAt = positions.othersReadAt();
        }
        for (String destination : missing.inGrace(now))
            if (!excluded.contains(destination)) grace.putIfAbsent(destination, othersStart);
        return batch;
    }

    /**
     * Whether the read of {@link #OTHERS} runs in this pickup, a destination gone or a grace over aside (issue 16:
     * it walked every job id stored since the last pickup and found nothing, 1.2-1.4 window rows per job delivered in
     * {@code RowsReadPerJobIT}, as much as the destination's own read): on the first pickup and after a gain of
     * partitions (no floor yet), while its last read stopped before the end of the queue (so a backlog is walked at
     * the usual pace), and once per {@code missing-destination-read-interval}. Between runs its floor stays where it
     * is, so a later read walks the ids stored meanwhile (jobs are commit-ordered: none can appear below it); the
     * grace counts from the read that first finds a destination missing, so its drain may come up to an interval
     * later.
     */
    private boolean othersDue(ReadPositions positions, Map<String, Long> floors, Instant now) {
        Instant last = positions.othersReadAt();
        return last == null
                || !floors.containsKey(OTHERS)
                || now.isBefore(last) // the clock went back: not left waiting for it
                || !now.isBefore(last.plus(properties.missingDestinationReadInterval()));
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

    /** What one destination may still take in this pickup: jobs handed over and payload bytes read. */
    private static final class Budget {
        int dispatched;
        long bytesLeft;

        Budget(long bytes) {
            this.bytesLeft = bytes;
        }
    }

    /**
     * Reads the jobs of some users catching up on one destination, from their lowest position, and decides for them;
     * each user's position next time is where the read got (at most this pickup's last job id). The destination's
     * floor is not touched.
     */
    private void catchUp(
            String destinationId, Map<OrderKey, Long> users, Set<Integer> owned, Picking picking, Budget budget) {
        if (users.isEmpty()) return;
        long position = Long.MAX_VALUE;
        Map<JobQuery.User, Long> only = new HashMap<>();
        Set<Integer> partitions = new HashSet<>();
        for (Map.Entry<OrderKey, Long> e : users.entrySet()) {
            position = Math.min(position, e.getValue());
            // each user above its own position: its jobs at or below it all have a status
            only.merge(new JobQuery.User(e.getKey().workspaceId(), e.getKey().userId()), e.getValue(), Math::min);
            partitions.add(e.getKey().partition());
        }
        partitions.retainAll(owned);
        // none of their partitions is owned: no read, but the destination's read left them out all the same, and its
        // floor passes their jobs, so they keep their positions (review 1015 P3-4: they were dropped here, and their
        // jobs between position and floor went unread until the positions started over)
        if (partitions.isEmpty()) {
            for (Map.Entry<OrderKey, Long> e : users.entrySet())
                picking.batch().catchingUp.merge(e.getKey(), e.getValue(), Math::min);
            return;
        }
        // no more jobs than the fullest of their workers has room for (issue 16: a page brought some worker more
        // jobs than its queue took, and every job of those users after the first one kept was read again later), with
        // the largest window of the usual size (its id span per capped window, and the per-user form); jobsdb sizes
        // each window it takes to the jobs still wanted
        int size = properties.jobQueryBatchSize();
        int limit = size;
        Optional<DestinationWorkers> workers = pool.existing(destinationId);
        if (workers.isPresent())
            for (OrderKey key : users.keySet()) {
                Worker worker = workers.get().workerFor(key);
                limit = Math.min(limit, worker.freeSlots() - picking.reserved().getOrDefault(worker, 0));
            }
        JobQuery query = JobQuery.first(Math.max(1, limit))
                .windowsOf(size)
                .partitions(partitions)
                .destination(destinationId)
                .ofUsers(only);
        Batch batch = picking.batch();
        UnprocessedFloor floor = new UnprocessedFloor(position);
        readPages(query, floor, batch.lastJobId, picking, budget);
        // each user from its own position (before, every user of the read went to the lowest next position of them
        // all, and later reads walked the others' finished jobs from there)
        for (Map.Entry<OrderKey, Long> e : users.entrySet())
            batch.catchingUp.merge(
                    e.getKey(), Math.min(batch.lastJobId, floor.next(e.getKey(), e.getValue())), Math::min);
    }

    /**
     * Up to {@code maxQueriesPerPickup} pages of one destination's deliverable jobs, whose payloads together come to
     * about {@code payload-limit} (counted in SQL, review P2-1): over it by at most one job, since each page returns
     * at least one so that an oversized job is still read. The limit is per destination, not per pickup. True when
     * the reads got to the end of the queue ({@link #readPages}).
     */
    private boolean pickDestination(
            String floorKey, JobQuery query, long start, long lastJobId, Picking picking, Budget budget) {
        UnprocessedFloor floor = new UnprocessedFloor(start);
        picking.batch().floors().put(floorKey, floor);
        return readPages(query, floor, lastJobId, picking, budget);
    }

    /**
     * Reads pages of {@code query} above {@code floor}, each read walking at most {@code max-windows-per-read}
     * windows, and decides for each job; true when the reads reached the end of the queue (the floor then covers
     * {@code lastJobId}). The floor moves only as far as each read walked ({@link JobPage#walkedTo}); at the end of
     * the queue that is the queue's last id, so a quiet destination's floor follows it. A read that stopped at its cap
     * ends this pickup's reads of it; the next pickup goes on from there ({@link Batch#more}).
     */
    private boolean readPages(JobQuery query, UnprocessedFloor floor, long lastJobId, Picking picking, Budget budget) {
        Batch batch = picking.batch();
        int size = properties.jobQueryBatchSize();
        long after = 0;
        for (int q = 0; q < properties.maxQueriesPerPickup() && budget.dispatched < size && budget.bytesLeft > 0; q++) {
            JobPage page = rt.fetchDeliverable(
                    query.after(after)
                            .unprocessedAbove(floor.start)
                            .walkingAtMost(properties.maxWindowsPerRead())
                            .withPayloadLimit(budget.bytesLeft),
                    picking.now());
            for (Job job : page.jobs()) {
                budget.bytesLeft -= job.payloadSize();
                // a page must start after the previous one; a job seen twice would be handed over twice
                if (job.jobId() <= after) continue;
                after = job.jobId();
                // read already in this pickup (a catching-up user's first unresolved job comes in both reads)
                if (!picking.seen().add(job.jobId())) continue;
                int statuses = batch.statuses().size();
                int dispatches = batch.dispatches().size();
                // a destination's read returns only its jobs (in SQL): their parameters are not read again
                RtJob rtJob = query.destinationId() != null ? RtJob.of(job, query.destinationId()) : RtJob.of(job);
                consider(rtJob, picking);
                budget.dispatched += batch.dispatches().size() - dispatches;
                if (job.lastStatus() == null)
                    floor.seen(rtJob.key(), job.jobId(), batch.statuses().size() > statuses);
            }
            // every unprocessed job up to where the read walked was returned
            floor.covered(page.walkedTo());
            if (page.capped()) {
                if (floor.next() > floor.start) batch.more = true;
                return false;
            }
            // a short page is the end of the query's jobs, unless the payload limit cut it. The floor does not jump
            // to lastJobId for it (review 1015 P3-5): a page can also be short because a picked job vanished or came
            // in both lists, with the walk stopped at the count limit and unprocessed jobs above walkedTo. At the
            // end of the queue walkedTo is already at or above lastJobId (the read's last_id is read after it)
            if (page.jobs().size() < size && !page.cutByBytes()) return page.walkedTo() >= lastJobId;
        }
        return false;
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
        // parked from now on, at the highest job handed out (issue 16: before, at the lowest, so once they were
        // delivered the user's catch-up read walked them again before its new jobs). Safe, as no job of the user
        // without a status lies at or below it once this batch's statuses are committed:
        // - read: the user's jobs come in job id order from a position with no job of it without a status at or
        //   below (its own, or its destination's floor), and a read returns every unprocessed job above it up to
        //   where it walked; a failed or waiting job, which the retryable half returns wherever it lies, has none of
        //   its key below it (a user's jobs get statuses in job id order; a job kept for a destination missing from
        //   the config holds every job of its key, so none of them is handed out), and a parked user's read there
        //   is its first unresolved job only (JobQuery.holding);
        // - decided: each job of the user before this one in the pickup was handed out, drained, or had a status,
        //   since the first one kept without a status holds all its later ones (held), and a job read twice is
        //   decided once (seen);
        // - after: a job handed out keeps a status, its executing one committed before the hand-over (a lost or
        //   unknown commit hands nothing out and keeps the positions read from, PickupLoop). Its worker commits
        //   its outcome, or waiting when an earlier job of the user failed (Worker, BatchRun: the queued jobs are
        //   never put back without one); a stop commits waiting for the jobs not started (WorkerPool); a job
        //   dropped because its partition moved, or whose status is refused (InFlight.stuck), stays executing
        //   and its partition's next owner recovers it as failed (Handover), ahead of the user's later jobs, and
        //   after a gain of partitions every position starts again.
        // A failed or waiting job below it is read by the retryable half, so a failure is retried: a retry goes
        // alone and a failed user is parked at its first pending job again (run), as a lower position is safe too.
        batch.parked().merge(job.key(), job.jobId(), Math::max);
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
