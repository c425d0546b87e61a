/**
 * An rt job as the router reads it ({@link dev.eventpipe.router.status.RtJob}) and the statuses it writes: their
 * {@code error_response} shapes ({@link dev.eventpipe.router.status.StatusJson}) and the batched, lease-fenced
 * commit ({@link dev.eventpipe.router.status.StatusCommitter}).
 */
@NullMarked
package dev.eventpipe.router.status;

import org.jspecify.annotations.NullMarked;
