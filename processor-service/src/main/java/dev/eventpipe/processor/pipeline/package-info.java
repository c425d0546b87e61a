/** The processing loop and the batch it carries through the stages. */
@NullMarked
package dev.eventpipe.processor.pipeline;

import org.jspecify.annotations.NullMarked;
