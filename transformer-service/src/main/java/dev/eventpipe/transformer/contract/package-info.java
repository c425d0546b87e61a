/** The rudder-transformer wire format shared by user and destination transformations. */
@NullMarked
package dev.eventpipe.transformer.contract;

import org.jspecify.annotations.NullMarked;
