/** The service's /health answer. */
@NullMarked
package dev.eventpipe.transformer.health;

import org.jspecify.annotations.NullMarked;
