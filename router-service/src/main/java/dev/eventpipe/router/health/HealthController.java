package dev.eventpipe.router.health;

import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.pickup.PickupLoop;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: 200 when the database answers, a workspace config is loaded and the router runs with its
 * pickup, status committer and workers alive (unless {@code router.enabled=false}); 503 with the same JSON
 * otherwise (review P2-8: a dead thread is a failed health check).
 */
@RestController
class HealthController {
    private final DataSource dataSource;
    private final WorkspaceConfigClient config;
    private final PickupLoop router;
    private final boolean routing;

    HealthController(
            DataSource dataSource, WorkspaceConfigClient config, PickupLoop router, RouterProperties properties) {
        this.dataSource = dataSource;
        this.config = config;
        this.router = router;
        this.routing = properties.enabled();
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        boolean db = databaseUp();
        boolean healthy = db && config.hasLoaded() && ((router.isRunning() && router.threadsAlive()) || !routing);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appType", "ROUTER");
        body.put("server", healthy ? "UP" : "DOWN");
        body.put("db", db ? "UP" : "DOWN");
        body.put("routingEvents", router.isRunning() ? "TRUE" : "FALSE");
        body.putAll(new TreeMap<>(router.liveness()));
        body.put("backendConfigMode", config.mode());
        body.put("configLoaded", config.hasLoaded());
        body.put("lastSync", config.lastSync().map(Object::toString).orElse(""));
        // the workspace config this service runs: the config backend's ETag of the same document (the Health page
        // compares it with the backend's current one)
        body.put("configVersion", config.version().orElse(""));
        body.put("configScope", config.scope());
        body.put("instanceId", router.holder());
        body.put("ownedPartitions", router.owned().size());
        body.put("blockedUsers", router.blockedUsers());
        body.put("usersInFlight", router.usersInFlight());
        if (!db) body.put("error", "Cannot connect to db");
        return ResponseEntity.status(healthy ? 200 : 503)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    /** {@code GET /health/live}: 200 while the process serves HTTP. It touches nothing (no database, no
     * transformer), so a liveness probe on it never restarts a pod because a dependency is down. */
    @GetMapping("/health/live")
    Map<String, String> live() {
        return Map.of("status", "UP");
    }

    private boolean databaseUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
