package dev.eventpipe.router.status;

import dev.eventpipe.jobsdb.StatusUpdate;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A status a worker produced for a job, on its way to the batched commit. */
public record Finished(
        RtJob job, StatusUpdate status, @Nullable Duration requestTime) {}
