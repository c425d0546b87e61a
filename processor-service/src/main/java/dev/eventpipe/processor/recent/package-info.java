/** The events the gateway handed over most recently, with what the processor did with each, for live events. */
@NullMarked
package dev.eventpipe.processor.recent;

import org.jspecify.annotations.NullMarked;
