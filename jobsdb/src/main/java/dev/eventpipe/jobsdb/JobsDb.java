package dev.eventpipe.jobsdb;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One job queue in PostgreSQL. Every call joins the caller's Spring transaction when there is one (so "store the
 * router jobs and mark the gateway jobs succeeded" is one commit) and runs in its own transaction otherwise.
 *
 * <p>Ordering: job ids grow in commit order. Writers of one queue hold a transaction-level advisory lock from id
 * allocation to commit, so when a reader sees job {@code n}, every job below {@code n} that will ever exist is
 * already visible. Readers may therefore page with {@link JobQuery#afterJobId()} without missing late commits.
 * Results are always in job id order.
 */
public interface JobsDb {
    Queue queue();

    /** Stores jobs in one batch (COPY) and returns their ids, in the order given. */
    List<Long> store(List<NewJob> jobs);

    /** Jobs that have no status yet. */
    List<Job> fetchUnprocessed(JobQuery query);

    /**
     * {@link #fetchUnprocessed} with how far the search got ({@link JobPage#walkedTo()}, {@link JobPage#capped()}): a
     * reader that found nothing may go on from there next time instead of walking the same finished jobs again.
     */
    JobPage fetchUnprocessedPage(JobQuery query);

    /**
     * Unprocessed jobs, {@code waiting} jobs and {@code failed} jobs whose retry time is not after {@code now}, with
     * ids above {@link JobQuery#afterJobId()}, in job id order. Failed and waiting jobs are found through an index
     * of those states; the search for unprocessed ones starts above {@link JobQuery#unprocessedFloor()} when the
     * caller knows where finished jobs end.
     */
    List<Job> fetchToProcess(JobQuery query, Instant now);

    /**
     * For a deliverer that keeps each user's order per destination (the router): what {@link #fetchToProcess}
     * returns, except {@code failed} and {@code waiting} jobs that have an earlier job of the same workspace, user
     * and {@code parameters.destination_id} that is {@code failed} with its retry time after {@code now}. Those
     * cannot go before it, so they are not read again on every call; a large backlog of a failing destination
     * therefore does not fill the read. Unprocessed jobs behind such a job are returned unless the caller names their
     * users in {@link JobQuery#holding} (the router does, keeping its own read position for each such user). The
     * page says whether the payload limit cut it short
     * ({@link JobPage#cutByBytes()}): then more jobs may follow although fewer than the count limit came back; and
     * how far the search for unprocessed jobs got ({@link JobPage#walkedTo()}), which a capped read
     * ({@link JobQuery#walkingAtMost}) may end before the queue does ({@link JobPage#capped()}).
     */
    JobPage fetchDeliverable(JobQuery query, Instant now);

    /**
     * For the same deliverer: for each workspace, user and {@code parameters.destination_id} in {@code partitions}
     * with jobs whose latest status is {@code failed} or {@code waiting}, the first of them (lowest id). The user's
     * later jobs must stay behind it even when {@link #fetchDeliverable} does not return it (failed, retry time after
     * {@code now}) or it lies beyond the pages read. Walks the status table's partial index of those states.
     */
    List<FirstUnresolved> firstUnresolved(Set<Integer> partitions, Instant now);

    /**
     * The first unresolved job of one user and destination ({@code destinationId} empty when the job names none);
     * {@code failed} when it is {@code failed} (else {@code waiting}); {@code inBackoff} when it is {@code failed}
     * with its retry time after the {@code now} asked about; {@code recovered} when it is {@code failed} because a
     * process stopped while it was executing ({@link CrashRecovery#RECOVERED_CODE}): it may never have been sent,
     * and no destination answered it.
     */
    record FirstUnresolved(
            String workspaceId,
            String destinationId,
            String userId,
            long jobId,
            boolean inBackoff,
            boolean failed,
            boolean recovered) {}

    /**
     * The highest job id stored so far, 0 when none. Ids grow in commit order, so once this returns, every job at or
     * below it is visible: a reader that has read all jobs up to it has missed none.
     */
    long lastJobId();

    /**
     * The newest jobs in any state, newest first, with their latest status: for people watching the pipeline (live
     * events), not for processing. Filters, the count limit and the page cursor (ids above it) apply.
     */
    List<Job> fetchRecent(JobQuery query);

    /**
     * The latest status of each of these jobs that has one (for a writer that does not know whether its last commit
     * was made, review P2-2); jobs with no status, or gone, are left out. Joins the caller's transaction.
     */
    java.util.Map<Long, JobStatus> latestStatuses(java.util.Collection<Long> jobIds);

    /** Appends status rows in one batch (COPY). */
    void updateStatus(List<StatusUpdate> updates);
}
