package dev.eventpipe.processor.fanout;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds one routed event per accepted event and destination, in job order then config order (which fixes the
 * order of the rt jobs). Destinations are the source's enabled, processor-enabled ones, narrowed to the one named
 * in the job's {@code destination_id} parameter when set (rETL), then by the event's {@code integrations} object
 * and consent. A destination dropped by those rules is noted on the job and counted as {@code filtered}. The
 * message is a copy of the event with the time fields set and {@code request_ip} from the gateway batch. A job
 * of a source missing from the config fails the batch attempt (retried with backoff) while it is younger than
 * the grace period, and is aborted after it.
 */
@Component
public class FanOutStage {
    private final Duration unknownSourceGrace;
    private final InstantSource clock = InstantSource.system();

    public FanOutStage(ProcessorProperties properties) {
        this.unknownSourceGrace = properties.unknownSourceGrace();
    }

    public void apply(BatchWork work, ConfigIndex config) {
        for (BatchWork.Accepted accepted : work.accepted()) {
            GwJob job = accepted.job();
            Source source = config.sourceById(job.sourceId()).orElse(null);
            if (source == null) {
                // the gateway may know a source this processor's config does not have yet: retry for a while
                if (job.job().createdAt().isAfter(clock.instant().minus(unknownSourceGrace)))
                    throw new UnknownSourceException(job.sourceId());
                work.report(job).invalid("source " + job.sourceId() + " is not in the workspace config");
                continue;
            }
            ObjectNode message = accepted.event().deepCopy();
            TimeFields.apply(message, job.receivedAt());
            if (!job.requestIp().isEmpty()) message.put("request_ip", job.requestIp());
            for (Destination destination : destinations(source, job.param("destination_id"))) {
                RoutedEvent routed = new RoutedEvent(
                        job, source, destination, message, TransformerMetadata.of(job, source, destination, message));
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

    private static List<Destination> destinations(Source source, String pinned) {
        return source.destinations().stream()
                .filter(d -> d.enabled() && d.isProcessorEnabled())
                .filter(d -> pinned.isEmpty() || pinned.equals(d.id()))
                .toList();
    }
}
