/** Delivery counts and latency per destination and minute, in PostgreSQL and as Micrometer metrics. */
@NullMarked
package dev.eventpipe.router.stats;

import org.jspecify.annotations.NullMarked;
