/**
 * Staging: batch_rt jobs of POSTGRES destinations mapped to warehouse rows and written as gzip JSON lines, one
 * file per source and destination per pass, recorded with the job statuses in one transaction.
 */
@NullMarked
package dev.eventpipe.warehouse.staging;

import org.jspecify.annotations.NullMarked;
