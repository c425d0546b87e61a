package dev.eventpipe.transformer.health;

import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.user.CodeStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: 200 while the script pool has contexts and the sandbox's watchdog thread runs, 503 otherwise
 * (without the watchdog no call is timed out, stopped at its request's deadline or stopped for memory: a
 * {@code while (true) {}} would hold its script thread for ever). Names the GraalJS runtime, so an operator sees at
 * once whether the optimizing JIT is on ("GraalVM CE") or the fallback interpreter runs ("Interpreted").
 */
@RestController
class HealthController {
    private final ContextPool pool;
    private final CodeStore codes;

    HealthController(ContextPool pool, CodeStore codes) {
        this.pool = pool;
        this.codes = codes;
    }

    @GetMapping({"/health", "/"})
    ResponseEntity<Map<String, Object>> health() {
        boolean watchdog = pool.engine().watchdogAlive();
        boolean up = pool.size() > 0 && watchdog;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("server", up ? "UP" : "DOWN");
        body.put("watchdog", watchdog ? "UP" : "DOWN");
        body.put("watchdogFailedPasses", pool.engine().watchdogFailedPasses());
        body.put("runtime", pool.engine().implementationName());
        body.put("optimizingJit", pool.engine().optimizing());
        body.put("scriptThreads", pool.size());
        body.put("idleContexts", pool.idle());
        body.put("contextsCreated", pool.contextsCreated());
        body.put("queuedTasks", pool.queued());
        body.put("cachedVersions", codes.cachedVersions());
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(body);
    }

    /** {@code GET /health/live}: 200 while the process serves HTTP. It touches nothing (no database, no
     * transformer), so a liveness probe on it never restarts a pod because a dependency is down. */
    @GetMapping("/health/live")
    Map<String, String> live() {
        return Map.of("status", "UP");
    }
}
