package dev.eventpipe.jobsdb;

import java.time.Instant;
import java.util.List;

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
     * Unprocessed jobs with ids above {@link JobQuery#afterJobId()}, plus every {@code waiting} job and every
     * {@code failed} job whose retry time is not after {@code now} (whatever their id), in job id order. The cursor
     * applies to unprocessed jobs only: a caller that writes a status for every job it picks can move it to the
     * highest unprocessed id it picked, and so never walks finished jobs again.
     */
    List<Job> fetchToProcess(JobQuery query, Instant now);

    /** Appends status rows in one batch (COPY). */
    void updateStatus(List<StatusUpdate> updates);
}
