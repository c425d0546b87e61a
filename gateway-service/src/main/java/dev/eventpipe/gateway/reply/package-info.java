/** The gateway's HTTP answers with RudderStack's exact status codes and plain-text bodies. */
@NullMarked
package dev.eventpipe.gateway.reply;

import org.jspecify.annotations.NullMarked;
