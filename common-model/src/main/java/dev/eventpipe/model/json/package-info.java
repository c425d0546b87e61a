/** The shared JSON codec. */
@NullMarked
package dev.eventpipe.model.json;

import org.jspecify.annotations.NullMarked;
