/** Connections between sources and destinations. */
@NullMarked
package dev.eventpipe.configbackend.connection;

import org.jspecify.annotations.NullMarked;
