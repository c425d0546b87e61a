package dev.eventpipe.processor.dedup;

import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.stats.Stage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drops events whose messageId was seen within the window: in the database (committed by an earlier batch, a
 * previous run or another replica) or earlier in this batch. The first event with an id wins; its id is recorded
 * by the store transaction. Dropped events are counted per source ({@code deduplicated}) and their gw job ends
 * {@code filtered} with reason "duplicate messageId". Events without a messageId are never dropped.
 */
@Component
public class DedupStage {
    private final SeenMessageIds seen;
    private final ProcessorProperties.Dedup settings;

    public DedupStage(SeenMessageIds seen, ProcessorProperties properties) {
        this.seen = seen;
        this.settings = properties.dedup();
    }

    public void apply(BatchWork work) {
        List<DedupKey> keys = new ArrayList<>();
        if (settings.enabled())
            for (GwJob job : work.jobs())
                for (ObjectNode event : job.events()) {
                    DedupKey key = keyOf(job, event);
                    if (key != null) keys.add(key);
                }
        Set<DedupKey> known = new HashSet<>(seen.seen(keys, settings.window()));
        for (GwJob job : work.jobs()) {
            if (job.invalid() != null) continue;
            for (ObjectNode event : job.events()) {
                DedupKey key = settings.enabled() ? keyOf(job, event) : null;
                if (key != null && !known.add(key)) {
                    work.report(job).duplicate();
                    work.counts().add(job.job().workspaceId(), job.sourceId(), "", Stage.DEDUPLICATED, 1);
                } else {
                    work.accepted().add(new BatchWork.Accepted(job, key, event));
                }
            }
        }
    }

    private static @org.jspecify.annotations.Nullable DedupKey keyOf(GwJob job, ObjectNode event) {
        String messageId = event.path("messageId").asString("");
        return messageId.isEmpty() ? null : DedupKey.of(job.sourceId(), messageId, job.param("source_job_run_id"));
    }

    /** The ids the store transaction must record: those of the accepted events. */
    public static List<DedupKey> newKeys(BatchWork work) {
        return work.accepted().stream()
                .map(BatchWork.Accepted::dedupId)
                .filter(java.util.Objects::nonNull)
                .toList();
    }
}
