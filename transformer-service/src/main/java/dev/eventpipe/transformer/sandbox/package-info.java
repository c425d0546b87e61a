/** The GraalJS sandbox: one shared engine, pooled contexts, call limits and the watchdog that enforces them. */
@NullMarked
package dev.eventpipe.transformer.sandbox;

import org.jspecify.annotations.NullMarked;
