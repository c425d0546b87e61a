/** Dropping events whose messageId was already seen within the dedup window, across restarts and replicas. */
@NullMarked
package dev.eventpipe.processor.dedup;

import org.jspecify.annotations.NullMarked;
