/** Router settings, the clock and the router's own schema. */
@NullMarked
package dev.eventpipe.router.config;

import org.jspecify.annotations.NullMarked;
