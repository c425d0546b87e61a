package dev.eventpipe.jobsdb;

import java.util.List;

/**
 * One read of a queue, in job id order. {@code cutByBytes}: the payload limit ({@link JobQuery#payloadLimitBytes()})
 * stopped the read before the jobs that matched ran out or reached the count limit, so jobs may follow the last
 * one even though fewer than {@link JobQuery#limit()} came back; a reader that pages must go on after it rather
 * than take a short page for the end.
 */
public record JobPage(List<Job> jobs, boolean cutByBytes) {}
