/** First start: the first admin and the demo workspace. */
@NullMarked
package dev.eventpipe.configbackend.seed;

import org.jspecify.annotations.NullMarked;
