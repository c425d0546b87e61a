/** User transformations and their immutable code versions. */
@NullMarked
package dev.eventpipe.configbackend.transformation;

import org.jspecify.annotations.NullMarked;
