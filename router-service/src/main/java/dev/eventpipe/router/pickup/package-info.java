/**
 * The pickup: which deliverable jobs of the owned partitions go to their destination's workers now, which wait,
 * which are drained, and the loop that commits those decisions and hands the jobs over.
 */
@NullMarked
package dev.eventpipe.router.pickup;

import org.jspecify.annotations.NullMarked;
