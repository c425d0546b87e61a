/**
 * Per-user ordering state, all of it: the {@link dev.eventpipe.router.ordering.OrderKey} (workspace, destination,
 * user), the in-memory {@link dev.eventpipe.router.ordering.Barrier} that holds a user's later jobs behind an earlier
 * failing one, its stored half {@link dev.eventpipe.router.ordering.BlockedKeys} (read through jobsdb), and
 * {@link dev.eventpipe.router.ordering.InFlight}, the keys whose handed-over jobs have not settled yet.
 */
@NullMarked
package dev.eventpipe.router.ordering;

import org.jspecify.annotations.NullMarked;
