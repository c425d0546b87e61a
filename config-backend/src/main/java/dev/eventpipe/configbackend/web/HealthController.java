package dev.eventpipe.configbackend.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health}: public, 200 when the database answers, 503 when it does not. */
@RestController
class HealthController {
    private final JdbcClient jdbc;

    HealthController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        boolean database;
        try {
            database = jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            database = false;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", database ? "UP" : "DOWN");
        body.put("service", "config-backend");
        body.put("database", database ? "UP" : "DOWN");
        return ResponseEntity.status(database ? 200 : 503).body(body);
    }

    /** {@code GET /health/live}: 200 while the process serves HTTP. It touches nothing (no database, no
     * transformer), so a liveness probe on it never restarts a pod because a dependency is down. */
    @GetMapping("/health/live")
    Map<String, String> live() {
        return Map.of("status", "UP");
    }
}
