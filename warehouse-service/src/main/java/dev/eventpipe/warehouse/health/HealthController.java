package dev.eventpipe.warehouse.health;

import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: 200 when the database answers, 503 when not; says whether this replica is the active one
 * and where files go. {@code GET /health/live}: the process only, never the database (liveness probes).
 */
@RestController
class HealthController {
    private final JdbcClient jdbc;
    private final LeaderLease lease;
    private final ObjectStore staging;

    HealthController(DataSource dataSource, LeaderLease lease, @Qualifier("staging") ObjectStore staging) {
        this.jdbc = JdbcClient.create(dataSource);
        this.lease = lease;
        this.staging = staging;
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean db;
        try {
            db = jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            db = false;
        }
        body.put("status", db ? "UP" : "DOWN");
        body.put("database", db ? "UP" : "DOWN");
        body.put("active", lease.isLeader());
        body.put("staging", staging.describe());
        return ResponseEntity.status(db ? 200 : 503).body(body);
    }

    @GetMapping("/health/live")
    Map<String, String> live() {
        return Map.of("status", "UP");
    }
}
