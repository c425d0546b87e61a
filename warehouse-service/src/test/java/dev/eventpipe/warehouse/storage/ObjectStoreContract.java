package dev.eventpipe.warehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every {@link ObjectStore} must do; run against the local directory and against a real S3 API server. */
final class ObjectStoreContract {
    private ObjectStoreContract() {}

    static void check(ObjectStore store, Path tmp) throws IOException {
        put(store, tmp, "src-1/gw/2024-05-01/10/1-aaaa.json.gz", "one");
        put(store, tmp, "src-1/gw/2024-05-01/11/5-bbbb.json.gz", "two");
        put(store, tmp, "src-1/gw/2024-05-02/00/9-cccc.json.gz", "three");
        put(store, tmp, "src-10/gw/2024-05-01/10/2-dddd.json.gz", "other source");

        assertThat(store.list("src-1/gw/2024-05-01/"))
                .extracting(ObjectStore.StoredObject::key)
                .containsExactly("src-1/gw/2024-05-01/10/1-aaaa.json.gz", "src-1/gw/2024-05-01/11/5-bbbb.json.gz");
        assertThat(store.list("src-1/")).hasSize(3);
        assertThat(store.list("src-1/gw/2024-05-01/").getFirst().size()).isEqualTo(3);
        assertThat(read(store, "src-1/gw/2024-05-01/11/5-bbbb.json.gz")).isEqualTo("two");

        put(store, tmp, "src-1/gw/2024-05-01/11/5-bbbb.json.gz", "two, written again");
        assertThat(read(store, "src-1/gw/2024-05-01/11/5-bbbb.json.gz")).isEqualTo("two, written again");
        assertThat(store.list("src-1/gw/2024-05-01/")).hasSize(2);

        store.delete("src-1/gw/2024-05-01/10/1-aaaa.json.gz");
        assertThat(store.list("src-1/gw/2024-05-01/")).hasSize(1);
        assertThatThrownBy(() -> store.open("src-1/gw/2024-05-01/10/1-aaaa.json.gz"))
                .isInstanceOf(IOException.class);
        assertThat(store.list("nothing/here/")).isEmpty();
        assertThatThrownBy(() -> store.put("../escape", tmp.resolve("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static void put(ObjectStore store, Path tmp, String key, String content) throws IOException {
        Path file = Files.createTempFile(tmp, "put", ".bin");
        Files.writeString(file, content);
        store.put(key, file);
    }

    private static String read(ObjectStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
