package dev.eventpipe.model.config;

import org.jspecify.annotations.Nullable;

/** What one poll of a config origin found. */
public sealed interface FetchResult {
    /** A config, as raw JSON, with the tag that identifies it (ETag or file stamp). */
    record Changed(byte[] json, @Nullable String tag) implements FetchResult {}

    /** Same as last time (HTTP 304, or the file did not change). */
    record Unchanged() implements FetchResult {}

    /** The origin could not be read; the last good config stays in use. */
    record Failed(String reason) implements FetchResult {}
}
