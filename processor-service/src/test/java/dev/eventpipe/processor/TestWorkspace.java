package dev.eventpipe.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A workspaceConfig.json file for a test, in RudderStack's shape. */
public final class TestWorkspace {
    private TestWorkspace() {}

    /** A destination of type WEBHOOK ("Webhook"), all message types supported. */
    public static String webhook(String id, String extra) {
        return """
                {"id": "%s", "name": "hook %s", "enabled": true, "isProcessorEnabled": true, "workspaceId": "ws-1",
                 "config": {"webhookUrl": "http://127.0.0.1:1/%s"},
                 "destinationDefinition": {"id": "dd-webhook", "name": "WEBHOOK", "displayName": "Webhook",
                   "config": {"supportedMessageTypes": ["alias", "group", "identify", "page", "screen", "track"]}}
                 %s}""".formatted(id, id, id, extra);
    }

    public static String source(String id, String writeKey, String... destinations) {
        return """
                {"id": "%s", "name": "source %s", "writeKey": "%s", "enabled": true, "workspaceId": "ws-1",
                 "sourceDefinition": {"id": "sd-http", "name": "HTTP", "category": ""},
                 "destinations": [%s]}""".formatted(id, id, writeKey, String.join(",", destinations));
    }

    public static Path write(String... sources) {
        try {
            Path file = Files.createTempFile("workspaceConfig", ".json");
            rewrite(file, sources);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void rewrite(Path file, String... sources) {
        String json = "{\"workspaceId\": \"ws-1\", \"sources\": [" + String.join(",", sources) + "]}";
        try {
            Files.writeString(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
