/** The gateway service: HTTP ingestion of SDK events into the {@code gw} job queue. */
@NullMarked
package dev.eventpipe.gateway;

import org.jspecify.annotations.NullMarked;
