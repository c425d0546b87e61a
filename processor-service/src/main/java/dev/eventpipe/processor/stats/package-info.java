/** Per-minute counts per source, destination and stage, and the read API for the delivery funnel. */
@NullMarked
package dev.eventpipe.processor.stats;

import org.jspecify.annotations.NullMarked;
