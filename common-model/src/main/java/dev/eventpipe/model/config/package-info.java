/** The workspace config in RudderStack's JSON shape, and the client that keeps the data plane's copy current. */
@NullMarked
package dev.eventpipe.model.config;

import org.jspecify.annotations.NullMarked;
