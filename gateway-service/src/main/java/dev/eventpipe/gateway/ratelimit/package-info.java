/** The optional per-workspace event rate limit (GCRA), as RudderStack's gateway throttler. */
@NullMarked
package dev.eventpipe.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
