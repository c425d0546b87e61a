/** Liveness, version and robots endpoints in RudderStack's shapes. */
@NullMarked
package dev.eventpipe.gateway.health;

import org.jspecify.annotations.NullMarked;
