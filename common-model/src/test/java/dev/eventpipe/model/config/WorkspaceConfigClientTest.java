package dev.eventpipe.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceConfigClientTest {
    @TempDir
    Path dir;

    private static final class MemoryStore implements LastGoodConfigStore {
        byte[] saved;

        @Override
        public Optional<byte[]> load() {
            return Optional.ofNullable(saved);
        }

        @Override
        public void save(byte[] json) {
            saved = json;
        }
    }

    private static String config(String writeKey) {
        return """
                {"workspaceId":"ws","sources":[{"id":"s1","name":"s","writeKey":"%s","enabled":true,\
                "sourceDefinition":{"name":"HTTP"},"destinations":[]}]}""".formatted(writeKey);
    }

    @Test
    void fileModeRereadsTheFileWhenItChangesAndKeepsTheLastGoodOnGarbage() throws IOException {
        Path file = dir.resolve("workspaceConfig.json");
        Files.writeString(file, config("key-a"));
        List<ConfigIndex> seen = new ArrayList<>();
        try (var client =
                new WorkspaceConfigClient(new FileConfigOrigin(file), LastGoodConfigStore.NONE, Duration.ofHours(1))) {
            client.onChange(seen::add);
            client.start();
            assertThat(client.current().sourceByWriteKey("key-a")).isPresent();

            Files.writeString(file, config("key-b"));
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            client.refresh();
            assertThat(client.current().sourceByWriteKey("key-b")).isPresent();
            assertThat(client.current().sourceByWriteKey("key-a")).isEmpty();

            Files.writeString(file, "{not json");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            assertThat(client.refresh()).isFalse();
            assertThat(client.current().sourceByWriteKey("key-b")).isPresent();
            assertThat(client.lastError()).get().asString().contains("invalid workspace config");
        }
        assertThat(seen).hasSize(2);
    }

    @Test
    void theVersionIsTheHashOfTheDocumentInUseAndMovesOnlyWithANewGoodOne() throws IOException {
        Path file = dir.resolve("versioned.json");
        Files.writeString(file, config("key-a"));
        try (var client =
                new WorkspaceConfigClient(new FileConfigOrigin(file), LastGoodConfigStore.NONE, Duration.ofHours(1))) {
            assertThat(client.version()).isEmpty();
            client.start();
            String first = client.version().orElseThrow();
            // the config backend's ETag formula: SHA-256 of the exact bytes, first 16 bytes in hex
            java.security.MessageDigest sha;
            try {
                sha = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
            String expected = java.util.HexFormat.of()
                    .formatHex(sha.digest(config("key-a").getBytes(StandardCharsets.UTF_8)), 0, 16);
            assertThat(first).isEqualTo(expected).hasSize(32);
            assertThat(client.scope()).isEqualTo("file");

            Files.writeString(file, config("key-b"));
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            client.refresh();
            String second = client.version().orElseThrow();
            assertThat(second)
                    .isNotEqualTo(first)
                    .isEqualTo(WorkspaceConfigClient.versionOf(config("key-b").getBytes(StandardCharsets.UTF_8)));

            Files.writeString(file, "{not json");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            client.refresh();
            assertThat(client.version()).contains(second); // garbage is not run: the version stays
        }
    }

    @Test
    void theScopeNamesTheNamespaceOrTheOneWorkspaceATokenReads() {
        var namespace = HttpConfigOrigin.namespace("http://127.0.0.1:1", "default", "secret", Duration.ofSeconds(1));
        try (var client = new WorkspaceConfigClient(namespace, LastGoodConfigStore.NONE, Duration.ofHours(1))) {
            assertThat(client.scope()).isEqualTo("namespace:default");
        }
        var token = HttpConfigOrigin.workspace("http://127.0.0.1:1", "token", Duration.ofSeconds(1));
        MemoryStore store = new MemoryStore();
        store.saved = config("key-a").getBytes(StandardCharsets.UTF_8);
        try (var client = new WorkspaceConfigClient(token, store, Duration.ofHours(1))) {
            assertThat(client.scope()).isEmpty(); // nothing loaded: which workspace is not known yet
            client.start(); // the backend is unreachable: the last good config is run
            assertThat(client.scope()).isEqualTo("workspace:ws");
            assertThat(client.version()).contains(WorkspaceConfigClient.versionOf(store.saved));
        }
    }

    @Test
    void httpModeSendsTokenAndEtagAndStartsFromTheLastGoodConfigWhenTheBackendIsDown() throws IOException {
        AtomicInteger fullAnswers = new AtomicInteger();
        AtomicReference<String> auth = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/workspaceConfig", exchange -> {
            auth.set(exchange.getRequestHeaders().getFirst("Authorization"));
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                byte[] body = config("key-http").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("ETag", "\"v1\"");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                fullAnswers.incrementAndGet();
            }
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        MemoryStore store = new MemoryStore();
        var settings =
                new ConfigClientSettings(null, url, "token-1", null, "", Duration.ofHours(1), Duration.ofSeconds(2));
        try (var client = WorkspaceConfigClient.create(settings, store).start()) {
            assertThat(client.refresh()).isTrue();
            assertThat(fullAnswers).hasValue(1); // second poll was a 304
            assertThat(auth.get()).isEqualTo("Basic dG9rZW4tMTo="); // base64("token-1:")
            assertThat(client.mode()).isEqualTo("API");
        } finally {
            server.stop(0);
        }
        assertThat(store.saved).isNotNull();
        try (var restarted = WorkspaceConfigClient.create(settings, store).start()) {
            assertThat(restarted.hasLoaded()).isTrue();
            assertThat(restarted.current().sourceByWriteKey("key-http")).isPresent();
            assertThat(restarted.lastError()).isPresent();
        }
    }

    @Test
    void namespaceModeReadsEveryWorkspaceWithTheInstanceSecret() throws IOException {
        AtomicReference<String> auth = new AtomicReference<>();
        AtomicReference<String> path = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data-plane/v1/namespaces/", exchange -> {
            auth.set(exchange.getRequestHeaders().getFirst("Authorization"));
            path.set(exchange.getRequestURI().getPath());
            byte[] body = ("{\"ws-1\":" + config("key-1").replace("\"ws\"", "\"ws-1\"") + ",\"ws-2\":"
                            + config("key-2").replace("\"ws\"", "\"ws-2\"").replace("\"s1\"", "\"s2\"") + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        var settings = new ConfigClientSettings(
                null, url, "ignored-token", "default", "secret-1", Duration.ofHours(1), Duration.ofSeconds(2));
        try (var client =
                WorkspaceConfigClient.create(settings, new MemoryStore()).start()) {
            assertThat(client.hasLoaded()).isTrue();
            assertThat(path.get()).isEqualTo("/data-plane/v1/namespaces/default/config");
            assertThat(auth.get()).isEqualTo("Basic c2VjcmV0LTE6"); // base64("secret-1:")
            assertThat(client.current().workspaces()).containsOnlyKeys("ws-1", "ws-2");
            assertThat(client.current().sourceByWriteKey("key-2").orElseThrow().id())
                    .isEqualTo("s2");
        } finally {
            server.stop(0);
        }
    }
}
