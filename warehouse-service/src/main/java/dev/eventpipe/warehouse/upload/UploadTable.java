package dev.eventpipe.warehouse.upload;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One table of an upload: its state, the rows loaded into it and the values discarded on the way. */
public record UploadTable(
        String table,
        UploadStatus status,
        long rows,
        long discards,
        @Nullable String error,
        Instant updatedAt) {}
