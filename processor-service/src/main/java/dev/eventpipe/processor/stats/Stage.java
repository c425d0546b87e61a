package dev.eventpipe.processor.stats;

import java.util.Locale;

/** The steps of the delivery funnel that events are counted at. */
public enum Stage {
    RECEIVED,
    DEDUPLICATED,
    FILTERED,
    TRANSFORMATION_FAILED,
    STORED,
    /** The database refused to store the event's job even alone (see ProcessingLoop's quarantine): aborted. */
    QUARANTINED;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
