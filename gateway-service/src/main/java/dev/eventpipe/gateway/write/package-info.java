/** Group commit: one writer thread stores the events of many requests in one transaction. */
@NullMarked
package dev.eventpipe.gateway.write;

import org.jspecify.annotations.NullMarked;
