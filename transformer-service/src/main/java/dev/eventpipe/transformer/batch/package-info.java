/** rudder-transformer's {@code POST /batch}: per-event deliveries combined into batched requests, in a user-order-safe way. */
@NullMarked
package dev.eventpipe.transformer.batch;

import org.jspecify.annotations.NullMarked;
