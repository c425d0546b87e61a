/** Pixel routes: GET requests whose query parameters become an event; the answer is always a 1x1 GIF. */
@NullMarked
package dev.eventpipe.gateway.pixel;

import org.jspecify.annotations.NullMarked;
