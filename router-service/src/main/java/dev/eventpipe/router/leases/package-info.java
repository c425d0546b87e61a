/**
 * This replica's share of the user partitions: the lease bean with its lifecycle ({@code RouterLeases}), what
 * happens to the work on partitions that come and go ({@code Handover}, the fenced handover of review P0-2), and
 * the order in which the router's running parts start and stop ({@code RouterPhases}).
 */
@NullMarked
package dev.eventpipe.router.leases;

import org.jspecify.annotations.NullMarked;
