/** Who is calling (people, API tokens, the data plane) and what their workspace role allows. */
@NullMarked
package dev.eventpipe.configbackend.access;

import org.jspecify.annotations.NullMarked;
