/** Settings and the processor's own schema. */
@NullMarked
package dev.eventpipe.processor.config;

import org.jspecify.annotations.NullMarked;
