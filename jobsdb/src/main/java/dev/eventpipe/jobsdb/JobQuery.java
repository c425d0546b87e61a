package dev.eventpipe.jobsdb;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to fetch: at most {@code limit} jobs and about {@code payloadLimitBytes} of payload (a single job larger
 * than the byte limit is still returned alone, so a pipeline never stalls), with job id above {@code afterJobId}
 * (a page cursor: it applies to every job),
 * optionally filtered. Null filters and an empty partition set mean "any"; an empty excluded set excludes none.
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
        Set<User> heldUsers) {

    /** A user of a workspace (users are per workspace). */
    public record User(String workspaceId, String userId) {}

    public JobQuery {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
        if (payloadLimitBytes <= 0) throw new IllegalArgumentException("payloadLimitBytes must be positive");
        partitions = partitions == null ? Set.of() : Set.copyOf(partitions);
        excludedDestinations = excludedDestinations == null ? Set.of() : Set.copyOf(excludedDestinations);
        heldUsers = heldUsers == null ? Set.of() : Set.copyOf(heldUsers);
    }

    public static JobQuery first(int limit) {
        return new JobQuery(limit, Long.MAX_VALUE, 0, 0, null, null, null, null, Set.of(), Set.of(), Set.of());
    }

    public JobQuery withPayloadLimit(long bytes) {
        return new JobQuery(
                limit,
                bytes,
                afterJobId,
                unprocessedFloor,
                customVal,
                destinationId,
                workspaceId,
                sourceId,
                partitions,
                excludedDestinations,
                heldUsers);
    }

    public JobQuery after(long jobId) {
        return new JobQuery(
                limit,
                payloadLimitBytes,
                jobId,
                unprocessedFloor,
                customVal,
                destinationId,
                workspaceId,
                sourceId,
                partitions,
                excludedDestinations,
                heldUsers);
    }

    /**
     * The caller's promise that no unprocessed job at or below {@code jobId} needs to be returned (it wrote a
     * status for each of them), so the search for unprocessed jobs starts above it instead of walking finished
     * jobs. Failed and waiting jobs are found wherever they are.
     */
    public JobQuery unprocessedAbove(long jobId) {
        return new JobQuery(
                limit,
                payloadLimitBytes,
                afterJobId,
                jobId,
                customVal,
                destinationId,
                workspaceId,
                sourceId,
                partitions,
                excludedDestinations,
                heldUsers);
    }

    public JobQuery customVal(String value) {
        return new JobQuery(
                limit,
                payloadLimitBytes,
                afterJobId,
                unprocessedFloor,
                value,
                destinationId,
                workspaceId,
                sourceId,
                partitions,
                excludedDestinations,
                heldUsers);
    }

    public JobQuery destination(String id) {
        return new JobQuery(
                limit,
                payloadLimitBytes,
                afterJobId,
                unprocessedFloor,
                customVal,
                id,
                workspaceId,
                sourceId,
                partitions,
                excludedDestinations,
                heldUsers);
    }

    public JobQuery workspace(String id) {
        return new JobQuery(
                limit,
                payloadLimitBytes,
                afterJobId,
                unprocessedFloor,
                customVal,
                destinationId,
                id,
                sourceId,
                partitions,
                excludedDestinations,
                heldUsers);
    }

    public JobQuery source(String id) {
        return new JobQuery(
                limit,
                payloadLimitBytes,
                afterJobId,
                unprocessedFloor,
                customVal,
                destinationId,
                workspaceId,
                id,
                partitions,
                excludedDestinations,
                heldUsers);
    }

    public JobQuery partitions(Set<Integer> owned) {
        return new JobQuery(
                limit,
                payloadLimitBytes,
                afterJobId,
                unprocessedFloor,
                customVal,
                destinationId,
                workspaceId,
                sourceId,
                owned,
                excludedDestinations,
                heldUsers);
    }

    /** Jobs of any destination but these (for a reader that asks for the others one by one). */
    public JobQuery excludingDestinations(Set<String> ids) {
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
                ids,
                heldUsers);
    }

    /**
     * Users whose jobs cannot go now (for the router: behind a failed job, or still in flight): none of their jobs
     * without a status is returned, and of their {@code failed} and {@code waiting} jobs only the first of each
     * destination. The filter is applied in SQL, before any payload is read, so a held user's backlog is never
     * shipped; the caller keeps its own read position for such a user (it is not behind the returned jobs).
     */
    public JobQuery holding(Set<User> users) {
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
                users);
    }
}
