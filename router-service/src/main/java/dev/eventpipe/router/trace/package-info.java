/** One event's way through the router, for the web app's event debugger: its rt jobs, requests and attempts. */
@NullMarked
package dev.eventpipe.router.trace;

import org.jspecify.annotations.NullMarked;
