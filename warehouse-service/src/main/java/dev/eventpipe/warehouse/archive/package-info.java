/**
 * The archive: the processor's copies of handled gw events (the arc queue) written as gzip JSON lines, one file
 * per source and hour (more when large or late), listable by day; kept for a retention period; replayable for a
 * time range into the gw queue.
 */
@NullMarked
package dev.eventpipe.warehouse.archive;

import org.jspecify.annotations.NullMarked;
