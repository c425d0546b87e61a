/** The router service: delivery of rt jobs to destinations. */
@NullMarked
package dev.eventpipe.router;

import org.jspecify.annotations.NullMarked;
