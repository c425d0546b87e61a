package dev.eventpipe.model.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads a RudderStack-shaped {@code workspaceConfig.json}; the file's modification time and size form its tag,
 * so it is re-read only when it changes.
 */
public final class FileConfigOrigin implements ConfigOrigin {
    private final Path path;

    public FileConfigOrigin(Path path) {
        this.path = path;
    }

    @Override
    public FetchResult fetch(@Nullable String lastTag) {
        try {
            String tag = Files.getLastModifiedTime(path).toMillis() + ":" + Files.size(path);
            if (tag.equals(lastTag)) return new FetchResult.Unchanged();
            return new FetchResult.Changed(Files.readAllBytes(path), tag);
        } catch (IOException e) {
            return new FetchResult.Failed("cannot read " + path + ": " + e);
        }
    }

    @Override
    public String mode() {
        return "JSON";
    }
}
