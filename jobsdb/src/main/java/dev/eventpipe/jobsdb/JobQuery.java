package dev.eventpipe.jobsdb;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What to fetch: at most {@code limit} jobs and about {@code payloadLimitBytes} of payload (a single job larger
 * than the byte limit is still returned alone, so a pipeline never stalls), with job id above {@code afterJobId}
 * (a page cursor: it applies to every job),
 * optionally filtered. Null filters and an empty partition set mean "any"; an empty excluded set excludes none;
 * empty {@code onlyUsers} means every user; {@code maxWindows} 0 means the search for unprocessed jobs walks to the
 * end ({@link #walkingAtMost}).
 */
public record JobQuery(
        int limit,
        long payloadLimitBytes,
        long afterJobId,
        long unprocessedFloor,
        @Nullable String customVal,
        @Nullable String destinationId,
        @Nullable String workspaceId,
        @Nullable String sourceId,
        Set<Integer> partitions,
        Set<String> excludedDestinations,
        Set<User> heldUsers,
        Set<User> onlyUsers,
        Map<User, Long> onlyUsersAbove,
        int maxWindows,
        int windowIds) {

    /** A user of a workspace (users are per workspace). */
    public record User(String workspaceId, String userId) {}

    public JobQuery {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
        if (payloadLimitBytes <= 0) throw new IllegalArgumentException("payloadLimitBytes must be positive");
        partitions = partitions == null ? Set.of() : Set.copyOf(partitions);
        excludedDestinations = excludedDestinations == null ? Set.of() : Set.copyOf(excludedDestinations);
        heldUsers = heldUsers == null ? Set.of() : Set.copyOf(heldUsers);
        onlyUsers = onlyUsers == null ? Set.of() : Set.copyOf(onlyUsers);
        onlyUsersAbove = onlyUsersAbove == null ? Map.of() : Map.copyOf(onlyUsersAbove);
        if (!onlyUsersAbove.isEmpty() && !onlyUsersAbove.keySet().equals(onlyUsers))
            throw new IllegalArgumentException("onlyUsersAbove must name exactly the onlyUsers");
        if (maxWindows < 0) throw new IllegalArgumentException("maxWindows must not be negative");
        if (windowIds < 0) throw new IllegalArgumentException("windowIds must not be negative");
    }

    public static JobQuery first(int limit) {
        return new JobQuery(
                limit,
                Long.MAX_VALUE,
                0,
                0,
                null,
                null,
                null,
                null,
                Set.of(),
                Set.of(),
                Set.of(),
                Set.of(),
                Map.of(),
                0,
                0);
    }

    public JobQuery withPayloadLimit(long bytes) {
        return with(b -> b.payloadLimitBytes = bytes);
    }

    public JobQuery after(long jobId) {
        return with(b -> b.afterJobId = jobId);
    }

    /**
     * The caller's promise that no unprocessed job at or below {@code jobId} needs to be returned (it wrote a
     * status for each of them), so the search for unprocessed jobs starts above it instead of walking finished
     * jobs. Failed and waiting jobs are found wherever they are.
     */
    public JobQuery unprocessedAbove(long jobId) {
        return with(b -> b.unprocessedFloor = jobId);
    }

    public JobQuery customVal(String value) {
        return with(b -> b.customVal = value);
    }

    public JobQuery destination(String id) {
        return with(b -> b.destinationId = id);
    }

    public JobQuery workspace(String id) {
        return with(b -> b.workspaceId = id);
    }

    public JobQuery source(String id) {
        return with(b -> b.sourceId = id);
    }

    public JobQuery partitions(Set<Integer> owned) {
        return with(b -> b.partitions = owned);
    }

    /** Jobs of any destination but these (for a reader that asks for the others one by one). */
    public JobQuery excludingDestinations(Set<String> ids) {
        return with(b -> b.excludedDestinations = ids);
    }

    /**
     * Users whose jobs cannot go now (for the router: behind a failed job, or still in flight): none of their jobs
     * without a status is returned, and of their {@code failed} and {@code waiting} jobs only the first of each
     * destination. The filter is applied in SQL, before any payload is read, so a held user's backlog is never
     * shipped; the caller keeps its own read position for such a user (it is not behind the returned jobs).
     */
    public JobQuery holding(Set<User> users) {
        return with(b -> b.heldUsers = users);
    }

    /**
     * The largest window of the search for unprocessed jobs: {@code 4 × limit}, at least 1,000, at most 20,000 rows
     * (a capped read, {@link #walkingAtMost}, walks at most that many consecutive stored ids per window). A read sizes
     * each window it takes to the jobs it still wants, plus a little slack, and grows the next one while full windows
     * keep too few (by at most 4 times a window), up to this size; so a read at the head of a queue, where nearly every
     * row above its position has no status, takes about the rows it returns, and a read far behind soon walks in
     * windows of this size (issue 16).
     */
    public int window() {
        return windowIds > 0 ? windowIds : Math.min(Math.max(4 * limit, 1_000), 20_000);
    }

    /**
     * The largest window of a query of {@code limit} jobs ({@link #window()} of {@code JobQuery.first(limit)}),
     * whatever this query's own limit: for a reader that wants fewer jobs than usual (the router's catch-up reads, as
     * many as the workers have room for) without a smaller id span per capped window, nor a smaller largest window
     * once its windows grow; its first window is still sized to the jobs it wants.
     */
    public JobQuery windowsOf(int limit) {
        int ids = first(limit).window();
        return with(b -> b.windowIds = ids);
    }

    /**
     * Only these users' jobs (for a reader catching up on a few users behind the rest): applied inside the
     * unprocessed read's windows, with the partitions, so the status of no other user's job is probed.
     */
    public JobQuery ofUsers(Set<User> users) {
        return with(b -> {
            b.onlyUsers = users;
            b.onlyUsersAbove = Map.of();
        });
    }

    /**
     * Only these users' jobs, each user's above its own position (issue 16): the caller's promise, per user, that
     * none of its jobs at or below that position needs to be returned as unprocessed (each has a status, as for
     * {@link #unprocessedAbove}). A read of a few users (the router's catch-up reads, whose users were parked at
     * different places) then takes no row of a user below its position into its windows, where before it took every
     * such row from the lowest position of them all and probed its status. A read of many users (more than one per
     * {@code PostgresJobsDb.USER_IDS} ids of the window) walks every user's ids anyway and applies the users only.
     */
    public JobQuery ofUsers(Map<User, Long> positions) {
        return with(b -> {
            b.onlyUsers = positions.keySet();
            b.onlyUsersAbove = positions;
        });
    }

    /**
     * A cap on the cost of the search for unprocessed jobs: at most {@code windows} windows, each of at most
     * {@link #window()} rows and that many consecutive stored ids (whatever the filters), instead of walking until
     * {@link #limit()} jobs are found or the queue ends. The last window the cap allows is always of the largest size,
     * so a read that stops at its cap has walked at least {@link #window()} rows or ids, however small its first
     * windows were. A capped read may come back short, or empty, before the end of the queue; the page says so
     * ({@link JobPage#capped()}) and how far it walked ({@link JobPage#walkedTo()}), so the caller goes on from there.
     * 0 (the default) walks to the end.
     */
    public JobQuery walkingAtMost(int windows) {
        return with(b -> b.maxWindows = windows);
    }

    /** A copy of this query with {@code change} made to its fields, so each method above states only what it changes. */
    private JobQuery with(Consumer<Fields> change) {
        Fields fields = new Fields(this);
        change.accept(fields);
        return fields.query();
    }

    /** The query's fields, to be changed one by one: a new field of the record is added here too, and nowhere else. */
    private static final class Fields {
        int limit;
        long payloadLimitBytes;
        long afterJobId;
        long unprocessedFloor;

        @Nullable
        String customVal;

        @Nullable
        String destinationId;

        @Nullable
        String workspaceId;

        @Nullable
        String sourceId;

        Set<Integer> partitions;
        Set<String> excludedDestinations;
        Set<User> heldUsers;
        Set<User> onlyUsers;
        Map<User, Long> onlyUsersAbove;
        int maxWindows;
        int windowIds;

        Fields(JobQuery q) {
            limit = q.limit;
            payloadLimitBytes = q.payloadLimitBytes;
            afterJobId = q.afterJobId;
            unprocessedFloor = q.unprocessedFloor;
            customVal = q.customVal;
            destinationId = q.destinationId;
            workspaceId = q.workspaceId;
            sourceId = q.sourceId;
            partitions = q.partitions;
            excludedDestinations = q.excludedDestinations;
            heldUsers = q.heldUsers;
            onlyUsers = q.onlyUsers;
            onlyUsersAbove = q.onlyUsersAbove;
            maxWindows = q.maxWindows;
            windowIds = q.windowIds;
        }

        JobQuery query() {
            return new JobQuery(
                    limit,
                    payloadLimitBytes,
                    afterJobId,
                    unprocessedFloor,
                    customVal,
                    destinationId,
                    workspaceId,
                    sourceId,
                    partitions,
                    excludedDestinations,
                    heldUsers,
                    onlyUsers,
                    onlyUsersAbove,
                    maxWindows,
                    windowIds);
        }
    }
}
