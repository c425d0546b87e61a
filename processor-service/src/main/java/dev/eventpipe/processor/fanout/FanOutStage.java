package dev.eventpipe.processor.fanout;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds one routed event per accepted event and destination, in job order then config order (which fixes the
 * order of the rt jobs). Destinations are the source's enabled, processor-enabled ones, narrowed to the one named
 * in the job's {@code destination_id} parameter when set (rETL), then by the event's {@code integrations} object
 * and consent. A destination dropped by those rules is noted on the job and counted as {@code filtered}. The
 * message is a copy of the event's top level with the time fields set and {@code request_ip} from the gateway batch. A job
 * whose source (or pinned {@code destination_id}) is missing from the config fails the batch attempt (retried with
 * backoff) until it has been missing for {@code processor.missing-config-grace} (10 minutes of config polls,
 * however old the job is), and is aborted after that.
 */
@Component
public class FanOutStage {
    private final Duration grace;
    private final InstantSource clock;
    /** Per source id, or source id + "/" + destination id, when this processor first found it missing. */
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

    @Autowired
    public FanOutStage(ProcessorProperties properties) {
        this(properties.missingConfigGrace(), InstantSource.system());
    }

    FanOutStage(Duration grace, InstantSource clock) {
        this.grace = grace;
        this.clock = clock;
    }

    public void apply(BatchWork work, ConfigIndex config) {
        for (BatchWork.Accepted accepted : work.accepted()) {
            GwJob job = accepted.job();
            Source source = config.sourceById(job.sourceId()).orElse(null);
            if (source == null) {
                // the gateway may know a source this processor's config does not have yet: retry for a while
                if (stillWaiting(job.sourceId()))
                    throw new UnknownSourceException(
                            "source " + job.sourceId() + " is not in the workspace config yet");
                work.report(job)
                        .invalid("source " + job.sourceId() + " has not been in the workspace config for " + grace);
                continue;
            }
            missingSince.remove(job.sourceId());
            String pinned = job.param("destination_id");
            if (!pinned.isEmpty() && source.destinations().stream().noneMatch(d -> d.id().equals(pinned))) {
                String key = job.sourceId() + "/" + pinned;
                if (stillWaiting(key))
                    throw new UnknownSourceException(
                            "destination " + pinned + " of source " + job.sourceId() + " is not in the config yet");
                work.report(job)
                        .invalid("destination " + pinned + " has not been in the workspace config for " + grace);
                continue;
            }
            if (!pinned.isEmpty()) missingSince.remove(job.sourceId() + "/" + pinned);
            // A copy of the top level only: what fan-out sets is top-level fields, and nothing downstream changes
            // the message (RoutedEvent), so its nested nodes can stay the gw event's, which the archive writes
            ObjectNode message = EventJson.MAPPER.createObjectNode().setAll(accepted.event());
            TimeFields.apply(message, job.receivedAt());
            if (!job.requestIp().isEmpty()) message.put("request_ip", job.requestIp());
            for (Destination destination : destinations(source, pinned)) {
                RoutedEvent routed = new RoutedEvent(
                        job,
                        source,
                        destination,
                        message,
                        () -> TransformerMetadata.of(job, source, destination, message));
                String displayName = destination.destinationDefinition().displayName();
                if (!IntegrationsRule.allows(message, displayName)) {
                    work.filtered(routed, "integrations", 298, "excluded by the event's integrations object");
                } else if (!ConsentRule.allows(message, destination)) {
                    work.filtered(routed, "consent", 298, "denied consent");
                } else {
                    work.routed().add(routed);
                }
            }
        }
    }

    /**
     * True while what {@code key} names has been missing from this processor's config for less than the grace,
     * counted from the first time it was found missing (not from the job's age: a backlog of old jobs must not be
     * aborted by one config poll that lacks their source).
     */
    private boolean stillWaiting(String key) {
        Instant first = missingSince.computeIfAbsent(key, k -> clock.instant());
        return Duration.between(first, clock.instant()).compareTo(grace) < 0;
    }

    private static List<Destination> destinations(Source source, String pinned) {
        return source.destinations().stream()
                .filter(d -> d.enabled() && d.isProcessorEnabled())
                .filter(d -> pinned.isEmpty() || pinned.equals(d.id()))
                .toList();
    }
}
