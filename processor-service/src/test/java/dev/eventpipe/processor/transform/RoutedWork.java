package dev.eventpipe.processor.transform;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.fanout.FanOutStage;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The work the transform stage gets: one gw job of src-1 holding these events, parsed and fanned out. */
final class RoutedWork {
    private RoutedWork() {}

    /** {@code events}: the JSON of one or more events, comma-separated, as they stand in a batch. */
    static BatchWork of(ProcessorProperties properties, ConfigIndex index, String events) {
        String payload = "{\"batch\":[" + events + "],\"receivedAt\":\"2026-11-26T10:00:00.000Z\"}";
        Job job = new Job(
                7,
                UUID.randomUUID(),
                "a<<>>a<<>>",
                "ws-1",
                0,
                "GW",
                "{\"source_id\":\"src-1\"}",
                payload,
                1,
                payload.length(),
                Instant.now(),
                null);
        GwJob gw = GwJob.parse(job);
        BatchWork work = new BatchWork(List.of(gw));
        for (var event : gw.events()) work.accepted().add(new BatchWork.Accepted(gw, null, event));
        new FanOutStage(properties).apply(work, index);
        return work;
    }
}
