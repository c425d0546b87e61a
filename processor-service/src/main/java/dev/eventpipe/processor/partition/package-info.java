/** Ownership of user partitions through leases, and crash recovery of partitions gained. */
@NullMarked
package dev.eventpipe.processor.partition;

import org.jspecify.annotations.NullMarked;
