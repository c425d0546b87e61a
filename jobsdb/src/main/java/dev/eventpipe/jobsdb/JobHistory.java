package dev.eventpipe.jobsdb;

import java.util.List;

/**
 * A job with every status row it has, oldest first ({@code job.lastStatus()} is the last of them, null when there is
 * none). {@code retained}: read from the aborted jobs jobsdb keeps after their dataset is gone
 * ({@code <prefix>_failed_events}), not from the queue.
 */
public record JobHistory(Job job, boolean retained, List<JobStatus> statuses) {}
