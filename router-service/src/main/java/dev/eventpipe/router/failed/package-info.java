/** The failed-events API for the web app: list, detail with every attempt, and replay. */
@NullMarked
package dev.eventpipe.router.failed;

import org.jspecify.annotations.NullMarked;
