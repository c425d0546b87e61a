/** Calls to the transformer service: user transformation, supported message types, destination transformation. */
@NullMarked
package dev.eventpipe.processor.transform;

import org.jspecify.annotations.NullMarked;
