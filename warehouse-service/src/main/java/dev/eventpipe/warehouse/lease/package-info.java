/** Which replica does the background work: a lease row in PostgreSQL, checked inside every hand-over commit. */
@NullMarked
package dev.eventpipe.warehouse.lease;

import org.jspecify.annotations.NullMarked;
