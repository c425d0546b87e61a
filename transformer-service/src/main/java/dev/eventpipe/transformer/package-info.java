/** The transformer service: runs user transformations and destination transformers in GraalJS over HTTP. */
@NullMarked
package dev.eventpipe.transformer;

import org.jspecify.annotations.NullMarked;
