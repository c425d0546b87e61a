package dev.eventpipe.jobsdb;

import java.util.List;

/** One page of {@link JobReads#failed}, newest jobs first; {@code total} counts every match (0 past the last). */
public record FailedJobPage(long total, List<FailedJob> items) {}
