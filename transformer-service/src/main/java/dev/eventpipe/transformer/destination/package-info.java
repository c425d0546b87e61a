/** Destination transformers: one JavaScript module per destination type turning an event into a delivery description. */
@NullMarked
package dev.eventpipe.transformer.destination;

import org.jspecify.annotations.NullMarked;
