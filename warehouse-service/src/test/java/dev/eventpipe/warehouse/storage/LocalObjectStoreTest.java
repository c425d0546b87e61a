package dev.eventpipe.warehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {
    @TempDir
    Path dir;

    @Test
    void aLocalDirectoryKeepsTheStorageContract() throws Exception {
        ObjectStoreContract.check(
                new LocalObjectStore(dir.resolve("store")), Files.createDirectories(dir.resolve("tmp")));
    }

    @Test
    void halfWrittenFilesNeverShowInAListing() throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir.resolve("store"));
        Files.createDirectories(dir.resolve("store/a"));
        Files.writeString(dir.resolve("store/a/.put-123"), "partial");
        assertThat(store.list("a/")).isEmpty();
    }
}
