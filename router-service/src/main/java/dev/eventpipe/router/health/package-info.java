/** The health endpoint. */
@NullMarked
package dev.eventpipe.router.health;

import org.jspecify.annotations.NullMarked;
