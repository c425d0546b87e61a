package dev.eventpipe.warehouse.support;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workspace configs (RudderStack's workspaceConfig.json shape) with POSTGRES destinations, for the tests. */
public final class WorkspaceFiles {
    private WorkspaceFiles() {}

    /** A POSTGRES destination's config pointing at a test database. */
    public static Map<String, Object> postgres(TestPostgres.Database db, Map<String, Object> extra) {
        String rest = db.url().substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("host", hostPort.substring(0, hostPort.lastIndexOf(':')));
        config.put("port", hostPort.substring(hostPort.lastIndexOf(':') + 1));
        config.put("database", rest.substring(rest.indexOf('/') + 1).replaceAll("\\?.*", ""));
        config.put("user", db.user());
        config.put("password", db.password() == null ? "" : db.password());
        config.put("sslMode", "disable");
        config.putAll(extra);
        return config;
    }

    /** The test database's {@code host:port}, as {@code EGRESS_ALLOW} lists an endpoint. */
    public static String hostPort(TestPostgres.Database db) {
        String rest = db.url().substring("jdbc:postgresql://".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    /** The default egress policy, but for the test database's endpoint (it is on this machine: loopback). */
    public static EgressPolicy allowing(TestPostgres.Database db) {
        return EgressPolicy.of(hostPort(db), false, List.of());
    }

    /** One workspace, one source per entry of {@code sources} (id → destination configs by id). */
    public static String config(String workspaceId, Map<String, Map<String, Map<String, Object>>> sources) {
        List<Object> srcs = new ArrayList<>();
        sources.forEach((sourceId, destinations) -> {
            List<Object> dsts = new ArrayList<>();
            destinations.forEach((destinationId, config) -> dsts.add(Map.of(
                    "id",
                    destinationId,
                    "name",
                    "Warehouse " + destinationId,
                    "enabled",
                    true,
                    "isProcessorEnabled",
                    true,
                    "workspaceId",
                    workspaceId,
                    "config",
                    config,
                    "destinationDefinition",
                    Map.of("id", "def-pg", "name", "POSTGRES", "displayName", "Postgres"))));
            srcs.add(Map.of(
                    "id",
                    sourceId,
                    "name",
                    "Source " + sourceId,
                    "writeKey",
                    "wk-" + sourceId,
                    "enabled",
                    true,
                    "workspaceId",
                    workspaceId,
                    "sourceDefinition",
                    Map.of("id", "def-http", "name", "HTTP", "category", ""),
                    "destinations",
                    dsts));
        });
        return Json.writeString(Map.of("workspaceId", workspaceId, "sources", srcs));
    }
}
