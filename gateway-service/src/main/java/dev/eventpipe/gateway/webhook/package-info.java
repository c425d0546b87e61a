/** Webhook sources: an arbitrary JSON body becomes a track event of the source. */
@NullMarked
package dev.eventpipe.gateway.webhook;

import org.jspecify.annotations.NullMarked;
