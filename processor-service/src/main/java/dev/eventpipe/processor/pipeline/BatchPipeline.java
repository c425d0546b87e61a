package dev.eventpipe.processor.pipeline;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.processor.dedup.DedupStage;
import dev.eventpipe.processor.fanout.FanOutStage;
import dev.eventpipe.processor.transform.TransformStage;
import org.springframework.stereotype.Component;

/** The in-memory stages of one attempt at a batch: dedup, fan-out (with time fields), transformations. */
@Component
public class BatchPipeline {
    private final DedupStage dedup;
    private final FanOutStage fanOut;
    private final TransformStage transform;

    private final PipelineMetrics metrics;

    public BatchPipeline(DedupStage dedup, FanOutStage fanOut, TransformStage transform, PipelineMetrics metrics) {
        this.dedup = dedup;
        this.fanOut = fanOut;
        this.transform = transform;
        this.metrics = metrics;
    }

    public BatchWork run(Batch batch, ConfigIndex config) {
        BatchWork work = new BatchWork(batch.jobs());
        metrics.time("dedup", () -> dedup.apply(work));
        metrics.time("fanout", () -> fanOut.apply(work, config));
        metrics.time("transform", () -> transform.apply(work, config));
        return work;
    }
}
