package dev.eventpipe.processor.health;

import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.processor.pipeline.ProcessingLoop;
import dev.eventpipe.processor.transform.TransformerStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: {@code UP} (200); {@code DEGRADED} (200: the process keeps its jobs, but the transformer is
 * failing, or the fetch has failed several times in a row ({@code "fetch":"FAILING"}), so nothing moves). The pod
 * is neither restarted nor taken out of service for it: a restart does not help when the transformer or the
 * database is at fault, but it may cure a fetch error local to this process (a pool connection in a bad state), and
 * meanwhile this replica keeps renewing its leases, so no sibling takes its partitions over: an operator decides
 * (review 1330 P2-5). {@code DOWN} (503: no database, no workspace config yet, or the loop thread died). Example: {@code {"status":"DEGRADED","database":"UP", "transformer":"DOWN","transformerError":"transformer
 * answered 503 on /v0/destinations/webhook", "config":"LOADED","configMode":"JSON","partitions":64,"loop":"RUNNING",
 * "fetch":"OK"}}.
 */
@RestController
class HealthController {
    private final DataSource dataSource;
    private final TransformerStatus transformer;
    private final WorkspaceConfigClient config;
    private final PartitionLeases leases;
    private final ProcessingLoop loop;

    HealthController(
            DataSource dataSource,
            TransformerStatus transformer,
            WorkspaceConfigClient config,
            PartitionLeases leases,
            ProcessingLoop loop) {
        this.dataSource = dataSource;
        this.transformer = transformer;
        this.config = config;
        this.leases = leases;
        this.loop = loop;
    }

    @GetMapping(value = "/health", produces = "application/json")
    ResponseEntity<Map<String, Object>> health() {
        boolean db = databaseUp();
        boolean loaded = config.hasLoaded();
        boolean looping = loop.loopAlive();
        Optional<String> fetchFailing = loop.fetchFailing();
        String status =
                !db || !loaded || !looping ? "DOWN" : transformer.isUp() && fetchFailing.isEmpty() ? "UP" : "DEGRADED";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("database", db ? "UP" : "DOWN");
        body.put("transformer", transformer.isUp() ? "UP" : "DOWN");
        transformer.lastError().ifPresent(e -> body.put("transformerError", e));
        transformer.downSince().ifPresent(t -> body.put("transformerDownSince", t.toString()));
        body.put("config", loaded ? "LOADED" : "NOT_LOADED");
        body.put("configMode", config.mode());
        body.put("lastSync", config.lastSync().map(Object::toString).orElse(""));
        // the workspace config this service runs: the config backend's ETag of the same document (the Health page
        // compares it with the backend's current one)
        body.put("configVersion", config.version().orElse(""));
        body.put("configScope", config.scope());
        config.lastError().ifPresent(e -> body.put("configError", e));
        body.put("partitions", leases.owned().size());
        body.put("loop", looping ? "RUNNING" : "STOPPED");
        body.put("fetch", fetchFailing.isPresent() ? "FAILING" : "OK");
        fetchFailing.ifPresent(e -> body.put("fetchError", e));
        return ResponseEntity.status(status.equals("DOWN") ? 503 : 200).body(body);
    }

    /** {@code GET /health/live}: 200 while the process serves HTTP. It touches nothing (no database, no
     * transformer), so a liveness probe on it never restarts a pod because a dependency is down. */
    @GetMapping("/health/live")
    Map<String, String> live() {
        return Map.of("status", "UP");
    }

    private boolean databaseUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
