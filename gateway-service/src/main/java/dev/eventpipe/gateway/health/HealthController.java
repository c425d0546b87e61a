package dev.eventpipe.gateway.health;

import dev.eventpipe.gateway.storage.StorageGuard;
import dev.eventpipe.gateway.write.BatchWriter;
import dev.eventpipe.jobsdb.StorageBudget;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Liveness, version and robots in RudderStack's shapes (rs:app/app.go, rs:runner/runner.go). {@code /health} pings
 * the database (bounded by the pool's connection timeout): 200 with {@code "db":"UP"}, or 503 with the same JSON,
 * {@code "db":"DOWN"} and RudderStack's message {@code Cannot connect to db} in {@code "error"}; also 503, with
 * {@code "acceptingEvents":"FALSE"}, when the group-commit writer thread has died.
 */
@RestController
class HealthController {
    private final DataSource dataSource;
    private final WorkspaceConfigClient config;
    private final BatchWriter writer;
    private final StorageGuard storage;
    private final Map<String, Object> version;

    HealthController(
            DataSource dataSource,
            WorkspaceConfigClient config,
            BatchWriter writer,
            StorageGuard storage,
            ObjectProvider<BuildProperties> build) {
        this.storage = storage;
        this.dataSource = dataSource;
        this.config = config;
        this.writer = writer;
        BuildProperties info = build.getIfAvailable();
        this.version = new LinkedHashMap<>();
        version.put("Version", info == null ? "dev" : info.getVersion());
        version.put("Commit", "");
        version.put(
                "BuildDate",
                info == null || info.getTime() == null ? "" : info.getTime().toString());
        version.put("BuiltBy", "eventpipe");
        version.put("Features", List.of());
    }

    @GetMapping({"/health", "/"})
    ResponseEntity<Map<String, Object>> health() {
        boolean db = databaseUp();
        boolean writing = writer.alive();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appType", "GATEWAY");
        body.put("server", "UP");
        body.put("db", db ? "UP" : "DOWN");
        StorageBudget.Status disk = storage.status();
        body.put("acceptingEvents", writing && disk.accepting() ? "TRUE" : "FALSE");
        body.put("routingEvents", "FALSE");
        body.put("mode", "NORMAL");
        body.put("backendConfigMode", config.mode());
        body.put("lastSync", config.lastSync().map(Object::toString).orElse(""));
        // the workspace config this service runs: the config backend's ETag of the same document (the Health page
        // compares it with the backend's current one)
        body.put("configVersion", config.version().orElse(""));
        body.put("configScope", config.scope());
        body.put("lastRegulationSync", "");
        body.put(
                "storage",
                Map.of(
                        "usedBytes", disk.usedBytes(),
                        "budgetBytes", disk.budgetBytes(),
                        "accepting", disk.accepting(),
                        "budgetSource", disk.source()));
        if (!db) body.put("error", "Cannot connect to db");
        else if (!writing) body.put("error", "the database writer has stopped");
        return ResponseEntity.status(db && writing ? 200 : 503)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    /** {@code GET /health/live}: 200 while the process serves HTTP. It touches nothing (no database, no
     * transformer), so a liveness probe on it never restarts a pod because a dependency is down. */
    @GetMapping("/health/live")
    Map<String, String> live() {
        return Map.of("status", "UP");
    }

    @GetMapping("/version")
    Map<String, Object> version() {
        return version;
    }

    @GetMapping(value = "/robots.txt", produces = MediaType.TEXT_PLAIN_VALUE)
    String robots() {
        return "User-agent: * \nDisallow: / \n";
    }

    private boolean databaseUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
