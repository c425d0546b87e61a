package dev.eventpipe.router.health;

import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.delivery.WorkerPool;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.pickup.PickupLoop;
import dev.eventpipe.router.status.StatusCommitter;
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
    private final boolean routing;
    private final RouterLeases leases;
    private final PickupLoop pickup;
    private final StatusCommitter committer;
    private final WorkerPool workers;
    private final Barrier barrier;
    private final InFlight inFlight;

    HealthController(
            DataSource dataSource,
            WorkspaceConfigClient config,
            RouterProperties properties,
            RouterLeases leases,
            PickupLoop pickup,
            StatusCommitter committer,
            WorkerPool workers,
            Barrier barrier,
            InFlight inFlight) {
        this.dataSource = dataSource;
        this.config = config;
        this.routing = properties.enabled();
        this.leases = leases;
        this.pickup = pickup;
        this.committer = committer;
        this.workers = workers;
        this.barrier = barrier;
        this.inFlight = inFlight;
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        boolean db = databaseUp();
        Map<String, Object> liveness = liveness();
        boolean threadsAlive = liveness.values().stream().allMatch("UP"::equals);
        boolean healthy = db && config.hasLoaded() && ((pickup.isRunning() && threadsAlive) || !routing);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appType", "ROUTER");
        body.put("server", healthy ? "UP" : "DOWN");
        body.put("db", db ? "UP" : "DOWN");
        body.put("routingEvents", pickup.isRunning() ? "TRUE" : "FALSE");
        body.putAll(new TreeMap<>(liveness));
        body.put("backendConfigMode", config.mode());
        body.put("configLoaded", config.hasLoaded());
        body.put("lastSync", config.lastSync().map(Object::toString).orElse(""));
        // the workspace config this service runs: the config backend's ETag of the same document (the Health page
        // compares it with the backend's current one)
        body.put("configVersion", config.version().orElse(""));
        body.put("configScope", config.scope());
        body.put("instanceId", leases.holder());
        body.put("ownedPartitions", leases.owned().size());
        // users (per destination) held behind a failing job, and with jobs handed to workers and not yet settled
        body.put("blockedUsers", barrier.size());
        body.put("usersInFlight", inFlight.size());
        // jobs none of whose statuses the database accepted: executing, their users held until recovered
        body.put("stuckJobs", committer.stuck());
        if (!db) body.put("error", "Cannot connect to db");
        return ResponseEntity.status(healthy ? 200 : 503)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    /**
     * Whether the router's threads live: the pickup loop, the status committer and every destination worker.
     * Empty when the router does not run (disabled or stopped).
     */
    private Map<String, Object> liveness() {
        if (!pickup.isRunning()) return Map.of();
        long dead = workers.deadWorkers();
        return Map.of(
                "pickup", pickup.alive() ? "UP" : "DOWN",
                "statusCommitter", committer.alive() ? "UP" : "DOWN",
                "workers", dead == 0 ? "UP" : "DOWN (" + dead + " dead)");
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
