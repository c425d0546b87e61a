/** Which destinations an event goes to: enabled destinations, the integrations object, consent, time fields. */
@NullMarked
package dev.eventpipe.processor.fanout;

import org.jspecify.annotations.NullMarked;
