/** The one transaction that writes rt jobs, dedup ids, stats and gw statuses. */
@NullMarked
package dev.eventpipe.processor.store;

import org.jspecify.annotations.NullMarked;
