package dev.eventpipe.transformer.user;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * What a version's own process is started with: the parent's sandbox limits and config backend (properties, on the
 * command line), one script thread (one call at a time, as the struck version's calls ran before), loopback and a
 * port of its own; secrets by environment only, never on a command line others can read: the config backend's
 * token, and a token made for this parent's children alone, which they require and only the parent holds.
 */
record ChildSettings(Map<String, String> properties, Map<String, String> environment, String authorization) {

    static ChildSettings of(SandboxProperties sandbox, ConfigBackendProperties backend, DataSize maxRequestBody) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.main.banner-mode", "off");
        properties.put("transformer.max-request-body", maxRequestBody.toBytes() + "B");
        properties.put("transformer.config-backend.url", backend.url());
        properties.put("transformer.config-backend.timeout", backend.timeout().toMillis() + "ms");
        properties.put("transformer.sandbox.pool-size", "1");
        properties.put("transformer.sandbox.test-pool-size", "1");
        properties.put("transformer.sandbox.idle-contexts", "4");
        properties.put("transformer.sandbox.code-cache-size", "1");
        properties.put("transformer.sandbox.timeout", sandbox.timeout().toMillis() + "ms");
        properties.put("transformer.sandbox.statement-limit", String.valueOf(sandbox.statementLimit()));
        properties.put(
                "transformer.sandbox.request-deadline",
                sandbox.requestDeadline().toMillis() + "ms");
        properties.put(
                "transformer.sandbox.watchdog-interval",
                sandbox.watchdogInterval().toMillis() + "ms");
        properties.put("transformer.sandbox.heap-guard-fraction", String.valueOf(sandbox.heapGuardFraction()));
        properties.put(
                "transformer.sandbox.heap-guard-min-runtime",
                sandbox.heapGuardMinRuntime().toMillis() + "ms");
        properties.put("transformer.sandbox.thread-stack", sandbox.threadStack().toBytes() + "B");
        properties.put("transformer.sandbox.max-output-chars", String.valueOf(sandbox.maxOutputChars()));
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Map<String, String> environment =
                Map.of(ServiceToken.ENV, token, "TRANSFORMER_CONFIGBACKEND_WORKSPACETOKEN", backend.workspaceToken());
        String authorization = ServiceToken.of(token).orElseThrow().authorization();
        return new ChildSettings(properties, environment, authorization);
    }
}
