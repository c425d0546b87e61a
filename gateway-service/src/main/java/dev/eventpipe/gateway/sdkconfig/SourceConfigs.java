package dev.eventpipe.gateway.sdkconfig;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.SdkSourceConfig;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The {@code /sourceConfig} body of each write key, rendered once per config version: the first request for a key
 * renders it, later ones are a map lookup, and a new config version starts an empty map. It is read from the
 * gateway's own copy of the config, so it is served while the config backend is down (the last good config).
 */
@Component
class SourceConfigs {
    /** A rendered body and its ETag (a hash of the body). */
    record Rendered(byte[] body, String etag) {}

    private record Snapshot(ConfigIndex index, Map<String, Rendered> byWriteKey) {}

    private final WorkspaceConfigClient config;
    private volatile Snapshot snapshot = new Snapshot(ConfigIndex.empty(), new ConcurrentHashMap<>());

    SourceConfigs(WorkspaceConfigClient config) {
        this.config = config;
    }

    /** The body for a write key of any source, enabled or not; empty when no source has it. */
    Optional<Rendered> forWriteKey(String writeKey) {
        ConfigIndex index = config.current();
        Snapshot current = snapshot;
        if (current.index() != index) {
            current = new Snapshot(index, new ConcurrentHashMap<>());
            snapshot = current;
        }
        Optional<Source> source = index.sourceByWriteKey(writeKey);
        if (source.isEmpty()) return Optional.empty();
        return Optional.of(current.byWriteKey().computeIfAbsent(writeKey, k -> render(source.get())));
    }

    private static Rendered render(Source source) {
        byte[] body = Json.write(SdkSourceConfig.of(source));
        return new Rendered(body, "\"" + sha256(body) + "\"");
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
