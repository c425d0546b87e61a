/** Analytics events in the Segment / RudderStack shape and the identity derived from them. */
@NullMarked
package dev.eventpipe.model.event;

import org.jspecify.annotations.NullMarked;
