/** Per-user ordering: the barrier that holds a user's later jobs behind an earlier failing one. */
@NullMarked
package dev.eventpipe.router.ordering;

import org.jspecify.annotations.NullMarked;
