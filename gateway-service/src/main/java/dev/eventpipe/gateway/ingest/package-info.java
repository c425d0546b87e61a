/** The SDK routes: body reading, validation, enrichment and one gw job per event. */
@NullMarked
package dev.eventpipe.gateway.ingest;

import org.jspecify.annotations.NullMarked;
