package dev.eventpipe.jobsdb;

import java.util.List;

/**
 * One read of a queue, in job id order.
 *
 * @param cutByBytes the payload limit ({@link JobQuery#payloadLimitBytes()}) stopped the read before the jobs that
 *     matched ran out or reached the count limit, so jobs may follow the last one even though fewer than {@link
 *     JobQuery#limit()} came back; a reader that pages must go on after it rather than take a short page for the end
 * @param walkedTo how far the search for unprocessed jobs got: every job that matches the query, lies above its
 *     start ({@link JobQuery#afterJobId()} and {@link JobQuery#unprocessedFloor()}) and at or below this id, and had
 *     no status when it was read, was returned (jobs of {@link JobQuery#holding held} users excepted). Jobs are
 *     commit-ordered (every writer holds the queue's allocation lock to its commit, see {@link JobsDb}), so none can
 *     appear there later. At least the read's start
 * @param capped the search stopped at {@link JobQuery#walkingAtMost its window cap} before the end of the queue:
 *     unprocessed jobs may lie above {@link #walkedTo} although fewer than the limit came back
 */
public record JobPage(List<Job> jobs, boolean cutByBytes, long walkedTo, boolean capped) {}
