/** Where staging files and archives are kept: a local directory or S3-compatible object storage. */
@NullMarked
package dev.eventpipe.warehouse.storage;

import org.jspecify.annotations.NullMarked;
