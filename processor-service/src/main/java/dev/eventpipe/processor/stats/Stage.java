package dev.eventpipe.processor.stats;

import java.util.Locale;

/** The steps of the delivery funnel that events are counted at. */
public enum Stage {
    RECEIVED,
    DEDUPLICATED,
    FILTERED,
    TRANSFORMATION_FAILED,
    STORED;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
