/** HTTP delivery of the transformer's request description and the rules that turn a response into a job status. */
@NullMarked
package dev.eventpipe.router.delivery;

import org.jspecify.annotations.NullMarked;
