/** The workspace-config client of the gateway (file or control plane, last good config in PostgreSQL). */
@NullMarked
package dev.eventpipe.gateway.config;

import org.jspecify.annotations.NullMarked;
