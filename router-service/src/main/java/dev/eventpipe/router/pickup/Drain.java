package dev.eventpipe.router.pickup;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.status.RtJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs are given up without a delivery (rs:router/utils/utils.go {@code Drain}): those of a destination that
 * is no longer in the workspace config or is disabled, and those older than the retention. They are aborted with
 * error code 410 and the reason.
 */
final class Drain {
    static final String CODE = "410";

    /** What to do with a job before delivery. */
    sealed interface Verdict {}

    record Deliver() implements Verdict {}

    record Abort(String reason) implements Verdict {}

    /** The destination is unknown, but the job is newer than the router's config: wait for the next poll. */
    record NotYet() implements Verdict {}

    private Drain() {}

    /**
     * @param configSyncedAt when the router last read its config; a job created after it may belong to a
     *     destination that the processor already knows and the router does not yet, so it is not drained
     */
    static Verdict decide(
            RtJob job,
            ConfigIndex config,
            @Nullable Instant configSyncedAt,
            DestinationSettings settings,
            Instant now) {
        if (Duration.between(job.job().createdAt(), now).compareTo(settings.jobRetention()) > 0)
            return new Abort("job expired");
        Optional<Destination> destination = config.destinationById(job.destinationId());
        if (destination.isEmpty()) {
            boolean configIsNewer =
                    configSyncedAt != null && job.job().createdAt().isBefore(configSyncedAt);
            return configIsNewer ? new Abort("destination not found in the workspace config") : new NotYet();
        }
        if (!destination.get().enabled()) return new Abort("destination is disabled");
        return new Deliver();
    }
}
