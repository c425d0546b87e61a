package dev.eventpipe.warehouse.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Files by key ({@code a/b/c.json.gz}), in a local directory or an S3 bucket. A put is whole or nothing: readers
 * never see half a file, and putting a key again replaces it. Failures are {@link IOException}s: the callers keep
 * their work and retry, so an outage of the storage delays work and loses none.
 */
public interface ObjectStore {
    /** One stored file. */
    record StoredObject(String key, long size, Instant lastModified) {}

    void put(String key, Path file) throws IOException;

    InputStream open(String key) throws IOException;

    /** Every key under the prefix (a "folder" such as {@code src-1/gw/2024-05-01/}), sorted. */
    List<StoredObject> list(String prefix) throws IOException;

    void delete(String key) throws IOException;

    /** For logs and the health endpoint: {@code local:/data/archive} or {@code s3://bucket/prefix}. */
    String describe();

    static void checkKey(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("\u0000"))
            throw new IllegalArgumentException("bad storage key: " + key);
        for (String part : key.split("/", -1))
            if (part.isEmpty() || part.equals(".") || part.equals(".."))
                throw new IllegalArgumentException("bad storage key: " + key);
    }
}
