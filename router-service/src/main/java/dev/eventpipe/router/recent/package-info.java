/** The newest router jobs in every state, for live events. */
@NullMarked
package dev.eventpipe.router.recent;

import org.jspecify.annotations.NullMarked;
