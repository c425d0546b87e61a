package dev.eventpipe.warehouse.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Files under a local directory: the default of the one-command run. A put copies to a hidden temporary file in
 * the target folder and renames it into place (atomic on one file system); temporary files never show in a list.
 */
public final class LocalObjectStore implements ObjectStore {
    private static final String TEMP_PREFIX = ".put-";

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
        try {
            Files.copy(file, temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        String folder = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : "";
        Path start = folder.isEmpty() ? root : resolve(folder);
        if (!Files.isDirectory(start)) return List.of();
        List<StoredObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(p) || p.getFileName().toString().startsWith(TEMP_PREFIX)) continue;
                String key = root.relativize(p).toString().replace('\\', '/');
                if (!key.startsWith(prefix)) continue;
                try {
                    out.add(new StoredObject(
                            key, Files.size(p), Files.getLastModifiedTime(p).toInstant()));
                } catch (NoSuchFileException gone) {
                    // deleted while listing
                }
            }
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public String describe() {
        return "local:" + root;
    }

    private Path resolve(String key) {
        ObjectStore.checkKey(key);
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("bad storage key: " + key);
        return p;
    }
}
