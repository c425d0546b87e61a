/** The /health endpoint. */
@NullMarked
package dev.eventpipe.processor.health;

import org.jspecify.annotations.NullMarked;
