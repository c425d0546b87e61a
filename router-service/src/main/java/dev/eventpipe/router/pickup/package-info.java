/** The pickup loop, the per-destination workers and the batched status commit. */
@NullMarked
package dev.eventpipe.router.pickup;

import org.jspecify.annotations.NullMarked;
