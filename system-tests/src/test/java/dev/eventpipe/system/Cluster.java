package dev.eventpipe.system;

import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data plane as separate processes on one PostgreSQL database, for the scale-out test and benchmark: one
 * transformer, gateways behind {@link HaProxy}, any number of processors and routers, a webhook {@link Sink} on
 * 127.0.0.1, and the workspace config in a file.
 */
final class Cluster implements AutoCloseable {
    static final String WRITE_KEY = "scale-out-write-key";
    final Sink sink = new Sink();
    final HaProxy proxy;
    final Map<String, String> env = new HashMap<>();
    final List<ServiceProcess> gateways = new ArrayList<>();
    final List<ServiceProcess> processors = new ArrayList<>();
    final List<ServiceProcess> routers = new ArrayList<>();
    private final List<ServiceProcess> all = new ArrayList<>();

    Cluster(Path dir) {
        try {
            Path config = dir.resolve("workspaceConfig.json");
            Files.writeString(config, workspaceConfig(sink.url()));
            env.putAll(databaseEnv(TestPostgres.newDatabase()));
            env.put("WORKSPACE_CONFIG_PATH", config.toString());
            env.put("ROUTER_DEFAULTS_MINBACKOFF", "1s");
            env.put("ROUTER_DEFAULTS_MAXBACKOFF", "2s");
            // the sink is on this machine's loopback, which the egress guard refuses unless allowed
            env.put("EGRESS_ALLOW", "127.0.0.1/32");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ServiceProcess transformer = start("transformer-service").awaitHealthy();
            env.put("DEST_TRANSFORM_URL", transformer.url(""));
            proxy = HaProxy.start(dir);
        } catch (RuntimeException e) {
            for (ServiceProcess s : all) s.close(); // nothing of a half-started cluster outlives the test
            sink.close();
            throw e;
        }
    }

    ServiceProcess start(String module) {
        ServiceProcess process = ServiceProcess.start(module, env);
        all.add(process);
        return process;
    }

    /** Starts a gateway, waits until it is healthy and puts it behind the load balancer in slot {@code slot}. */
    ServiceProcess addGateway(int slot) {
        ServiceProcess gateway = start("gateway-service").awaitHealthy();
        gateways.add(gateway);
        proxy.enable(slot, gateway);
        return gateway;
    }

    ServiceProcess addProcessor() {
        ServiceProcess processor = start("processor-service").awaitHealthy();
        processors.add(processor);
        return processor;
    }

    ServiceProcess addRouter() {
        ServiceProcess router = start("router-service").awaitHealthy();
        routers.add(router);
        return router;
    }

    @Override
    public void close() {
        proxy.close();
        for (ServiceProcess s : all) s.close();
        sink.close();
    }

    static Map<String, String> databaseEnv(TestPostgres.Database db) {
        Matcher m =
                Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*").matcher(db.url());
        if (!m.matches()) throw new IllegalStateException("unexpected test database url " + db.url());
        return Map.of(
                "JOBS_DB_HOST", m.group(1),
                "JOBS_DB_PORT", m.group(2),
                "JOBS_DB_DB_NAME", m.group(3),
                "JOBS_DB_USER", db.user(),
                "JOBS_DB_PASSWORD", db.password());
    }

    private static String workspaceConfig(String sinkUrl) {
        return """
                {"workspaceId":"ws-scale","sources":[{"id":"src-1","name":"Scale-out source",\
                "writeKey":"%s","workspaceId":"ws-scale","enabled":true,\
                "sourceDefinition":{"id":"def-http","name":"HTTP","category":""},\
                "destinations":[{"id":"dst-1","name":"Sink","workspaceId":"ws-scale","enabled":true,\
                "isProcessorEnabled":true,"config":{"webhookUrl":"%s","webhookMethod":"POST"},\
                "destinationDefinition":{"id":"def-webhook","name":"WEBHOOK","displayName":"Webhook",\
                "config":{"supportedMessageTypes":["alias","group","identify","page","screen","track"]}}}]}]}""".formatted(WRITE_KEY, sinkUrl);
    }
}
