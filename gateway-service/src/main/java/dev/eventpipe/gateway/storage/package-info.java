/** The storage budget of the job tables, as the gateway applies it: 503 with Retry-After past the high-water mark. */
@NullMarked
package dev.eventpipe.gateway.storage;

import org.jspecify.annotations.NullMarked;
