/** A throughput benchmark of the transformation paths, run from the packaged jar. */
@NullMarked
package dev.eventpipe.transformer.bench;

import org.jspecify.annotations.NullMarked;
