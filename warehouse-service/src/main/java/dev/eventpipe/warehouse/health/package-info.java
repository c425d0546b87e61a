/** Readiness ({@code /health}) and liveness ({@code /health/live}). */
@NullMarked
package dev.eventpipe.warehouse.health;

import org.jspecify.annotations.NullMarked;
