package dev.eventpipe.jobsdb;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The jobs of one workspace in a queue that have not finished yet (no terminal status), and when the oldest of them
 * was stored (null when there is none): a stage's backlog and lag.
 */
public record PendingJobs(long count, @Nullable Instant oldest) {}
