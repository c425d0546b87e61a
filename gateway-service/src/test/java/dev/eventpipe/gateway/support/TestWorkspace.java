package dev.eventpipe.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A workspaceConfig.json for tests: an enabled event-stream source, a disabled one, and a webhook source. */
public final class TestWorkspace {
    public static final String WORKSPACE_ID = "ws-test";
    public static final String WRITE_KEY = "wk-enabled";
    public static final String SOURCE_ID = "src-enabled";
    public static final String DISABLED_WRITE_KEY = "wk-disabled";
    public static final String WEBHOOK_WRITE_KEY = "wk-webhook";
    public static final String WEBHOOK_SOURCE_ID = "src-webhook";

    private static final String CONFIG = """
            {"workspaceId": "ws-test", "sources": [
              {"id": "src-enabled", "name": "web", "writeKey": "wk-enabled", "enabled": true, "workspaceId": "ws-test",
               "sourceDefinition": {"id": "d1", "name": "Javascript", "category": ""}, "destinations": []},
              {"id": "src-disabled", "name": "off", "writeKey": "wk-disabled", "enabled": false, "workspaceId": "ws-test",
               "sourceDefinition": {"id": "d1", "name": "Javascript", "category": ""}, "destinations": []},
              {"id": "src-webhook", "name": "hook", "writeKey": "wk-webhook", "enabled": true, "workspaceId": "ws-test",
               "sourceDefinition": {"id": "d2", "name": "webhook", "category": "webhook"}, "destinations": []}
            ]}""";

    private TestWorkspace() {}

    /** Writes the config to a new temporary file and returns its path. */
    public static String write() {
        try {
            Path file = Files.createTempFile("workspaceConfig", ".json");
            Files.writeString(file, CONFIG);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
