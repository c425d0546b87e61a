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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The data plane as separate processes on one PostgreSQL database, for the scale-out test and benchmark: one
 * transformer, gateways behind {@link HaProxy}, any number of processors and routers, a webhook {@link Sink} on
 * 127.0.0.1, and the workspace config in a file. The other constructor starts no HAProxy (gateways are reached
 * directly), adds settings to every service's environment and writes the workspace config the test gives, with
 * sinks of its own from {@link #newSink}.
 */
final class Cluster implements AutoCloseable {
    static final String WRITE_KEY = "scale-out-write-key";
    final Sink sink = new Sink();
    final @Nullable HaProxy proxy;
    final Map<String, String> env = new HashMap<>();
    final TestPostgres.Database database;
    private final ServiceProcess transformer;
    private final List<Sink> sinks = new ArrayList<>(List.of(sink));
    final List<ServiceProcess> gateways = new ArrayList<>();
    final List<ServiceProcess> processors = new ArrayList<>();
    final List<ServiceProcess> routers = new ArrayList<>();
    private final List<ServiceProcess> all = new ArrayList<>();

    Cluster(Path dir) {
        this(dir, true, Map.of(), cluster -> workspaceConfig(cluster.sink.url()));
    }

    Cluster(Path dir, boolean loadBalancer, Map<String, String> settings, Function<Cluster, String> workspaceConfig) {
        try {
            database = TestPostgres.newDatabase();
            Path config = dir.resolve("workspaceConfig.json");
            Files.writeString(config, workspaceConfig.apply(this));
            env.putAll(databaseEnv(database));
            env.put("WORKSPACE_CONFIG_PATH", config.toString());
            env.put("ROUTER_DEFAULTS_MINBACKOFF", "1s");
            env.put("ROUTER_DEFAULTS_MAXBACKOFF", "2s");
            // the sink is on this machine's loopback, which the egress guard refuses unless allowed
            env.put("EGRESS_ALLOW", "127.0.0.1/32");
            env.putAll(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            transformer = start("transformer-service");
            if (loadBalancer) transformer.awaitHealthy(); // else startPipeline waits for it with the others
            env.put("DEST_TRANSFORM_URL", transformer.url(""));
            proxy = loadBalancer ? HaProxy.start(dir) : null;
        } catch (RuntimeException e) {
            for (ServiceProcess s : all) s.close(); // nothing of a half-started cluster outlives the test
            sinks.forEach(Sink::close);
            throw e;
        }
    }

    /** The one transformer of the cluster. */
    ServiceProcess transformer() {
        return transformer;
    }

    /** Another webhook destination on 127.0.0.1, closed with the cluster. */
    Sink newSink() {
        Sink another = new Sink();
        sinks.add(another);
        return another;
    }

    ServiceProcess start(String module) {
        ServiceProcess process = ServiceProcess.start(module, env);
        all.add(process);
        return process;
    }

    /** Starts a gateway, waits until it is healthy and puts it behind the load balancer in slot {@code slot}. */
    ServiceProcess addGateway(int slot) {
        return enableGateway(slot, start("gateway-service").awaitHealthy());
    }

    /** Puts a gateway that was started with {@link #start} (and is healthy) behind the load balancer in {@code slot}. */
    ServiceProcess enableGateway(int slot, ServiceProcess gateway) {
        gateways.add(gateway);
        if (proxy == null) throw new IllegalStateException("this cluster has no load balancer");
        proxy.enable(slot, gateway);
        return gateway;
    }

    /**
     * Starts a gateway (reached directly, no load balancer), a processor and a router at once and waits until
     * they and the transformer are healthy.
     */
    void startPipeline() {
        gateways.add(start("gateway-service"));
        processors.add(start("processor-service"));
        routers.add(start("router-service"));
        transformer.awaitHealthy();
        gateways.getLast().awaitHealthy();
        processors.getLast().awaitHealthy();
        routers.getLast().awaitHealthy();
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
        if (proxy != null) proxy.close();
        for (ServiceProcess s : all) s.close();
        sinks.forEach(Sink::close);
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
        return webhookSource(sinkUrl);
    }

    /** One source ({@link #WRITE_KEY}) with a webhook destination per URL: dst-1, dst-2, ... */
    static String webhookSource(String... sinkUrls) {
        StringBuilder destinations = new StringBuilder();
        for (int i = 0; i < sinkUrls.length; i++) {
            if (i > 0) destinations.append(',');
            destinations.append("""
                    {"id":"dst-%d","name":"Sink %d","workspaceId":"ws-scale","enabled":true,\
                    "isProcessorEnabled":true,"config":{"webhookUrl":"%s","webhookMethod":"POST"},\
                    "destinationDefinition":{"id":"def-webhook","name":"WEBHOOK","displayName":"Webhook",\
                    "config":{"supportedMessageTypes":["alias","group","identify","page","screen","track"]}}}""".formatted(i + 1, i + 1, sinkUrls[i]));
        }
        return """
                {"workspaceId":"ws-scale","sources":[{"id":"src-1","name":"Scale-out source",\
                "writeKey":"%s","workspaceId":"ws-scale","enabled":true,\
                "sourceDefinition":{"id":"def-http","name":"HTTP","category":""},\
                "destinations":[%s]}]}""".formatted(WRITE_KEY, destinations);
    }
}
