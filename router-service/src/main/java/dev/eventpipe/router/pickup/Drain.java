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
 * is disabled or has been missing from the workspace config for the grace ({@code router.missing-destination-grace},
 * 10 minutes), and those older than the retention. They are aborted with error code 410 and the reason.
 */
final class Drain {
    static final String CODE = "410";

    /** What to do with a job before delivery. */
    sealed interface Verdict {}

    record Deliver() implements Verdict {}

    record Abort(String reason) implements Verdict {}

    /** The destination is unknown, but not for long enough (or the config is older than the job): wait. */
    record NotYet() implements Verdict {}

    private Drain() {}

    /**
     * @param configSyncedAt when the router last read its config; a job created after it may belong to a
     *     destination that the processor already knows and the router does not yet, so it is not drained
     * @param missing when each destination missing from the config was first found missing by a pickup
     */
    static Verdict decide(
            RtJob job,
            ConfigIndex config,
            @Nullable Instant configSyncedAt,
            DestinationSettings settings,
            Instant now,
            MissingDestinations missing) {
        if (Duration.between(job.job().createdAt(), now).compareTo(settings.jobRetention()) > 0)
            return new Abort("job expired");
        Optional<Destination> destination = config.destinationById(job.destinationId());
        if (destination.isEmpty()) {
            boolean configIsNewer =
                    configSyncedAt != null && job.job().createdAt().isBefore(configSyncedAt);
            if (!configIsNewer) return new NotYet();
            // a config that lacks the destination for a few polls (a partial or transient one) drains nothing
            return missing.missingLongEnough(job.destinationId(), now)
                    ? new Abort("destination not found in the workspace config for " + missing.grace())
                    : new NotYet();
        }
        if (!destination.get().enabled()) return new Abort("destination is disabled");
        return new Deliver();
    }
}
