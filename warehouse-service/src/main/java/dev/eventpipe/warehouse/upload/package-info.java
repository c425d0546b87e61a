/**
 * Uploads: when a destination's sync is due its pending staging files become an upload; uploads run one at a time
 * per source and destination, through waiting, exporting and exported, or failed (retried with backoff) and
 * aborted (retries spent), with per-table progress, all kept in PostgreSQL.
 */
@NullMarked
package dev.eventpipe.warehouse.upload;

import org.jspecify.annotations.NullMarked;
