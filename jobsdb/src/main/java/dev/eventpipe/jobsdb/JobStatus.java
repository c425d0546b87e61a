package dev.eventpipe.jobsdb;

import java.time.Instant;

/** One row of a status table: what happened to a job at one moment. {@code errorResponse} is JSON text. */
public record JobStatus(
        JobState state, int attempt, Instant execTime, Instant retryTime, String errorCode, String errorResponse) {}
