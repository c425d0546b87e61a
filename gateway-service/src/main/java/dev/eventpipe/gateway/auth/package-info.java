/** Write-key authentication of ingestion requests against the in-memory workspace config. */
@NullMarked
package dev.eventpipe.gateway.auth;

import org.jspecify.annotations.NullMarked;
