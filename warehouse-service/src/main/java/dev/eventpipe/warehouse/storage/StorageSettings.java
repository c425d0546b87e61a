package dev.eventpipe.warehouse.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where one kind of file is kept: {@code type} {@code local} (a directory, the default) or {@code s3} (a bucket
 * of any S3-compatible storage).
 */
public record StorageSettings(
        @DefaultValue("local") String type,
        String localDir,
        @DefaultValue S3 s3) {

    /** S3-compatible storage: {@code endpoint} for non-AWS servers, {@code pathStyle} for most of them. */
    public record S3(
            @DefaultValue("") String bucket,
            @DefaultValue("") String prefix,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("") String endpoint,
            @DefaultValue("false") boolean pathStyle,
            @DefaultValue("") String accessKeyId,
            @DefaultValue("") String secretAccessKey) {}

    public ObjectStore open() {
        return switch (type) {
            case "local" -> {
                try {
                    Path dir = Files.createDirectories(Path.of(localDir));
                    yield new LocalObjectStore(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create storage directory " + localDir, e);
                }
            }
            case "s3" -> new S3ObjectStore(s3);
            default -> throw new IllegalArgumentException("storage type must be local or s3, not " + type);
        };
    }
}
