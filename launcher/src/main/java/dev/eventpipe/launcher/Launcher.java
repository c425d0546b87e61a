package dev.eventpipe.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the whole suite on one machine, in the foreground: an embedded PostgreSQL (data under {@code ./.data})
 * unless {@code JOBS_DB_HOST} names a server, then each service as a child process, in dependency order, each
 * waited for until its {@code /health} answers. Ctrl-C stops the services, then the database.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("eventpipe.root", "."))
                .toAbsolutePath()
                .normalize();
        Path data = root.resolve(".data");
        LocalSecrets secrets = LocalSecrets.loadOrCreate(data.resolve("local.properties"));
        Database database = Database.startOrUse(data, System.getenv());
        Services services = new Services(root);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            services.stopAll();
                            database.close();
                        },
                        "launcher-shutdown"));

        Map<String, String> env = new LinkedHashMap<>(database.environment());
        // what the user set wins over the local defaults and generated secrets
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("WORKSPACE_TOKEN", secrets.get("WORKSPACE_TOKEN"));
        // the data plane serves every workspace of the config backend with the instance-wide secret
        defaults.put("HOSTED_SERVICE_SECRET", secrets.get("HOSTED_SERVICE_SECRET"));
        defaults.put("WORKSPACE_NAMESPACE", "default");
        defaults.put("CONFIG_BACKEND_URL", "http://127.0.0.1:5000");
        defaults.put("DEST_TRANSFORM_URL", "http://127.0.0.1:9090");
        defaults.put("DEMO_WRITE_KEY", secrets.get("DEMO_WRITE_KEY"));
        defaults.put("ADMIN_EMAIL", "admin@localhost");
        defaults.put("ADMIN_PASSWORD", secrets.get("ADMIN_PASSWORD"));
        defaults.put("CONFIG_SECRET_KEY", secrets.get("CONFIG_SECRET_KEY"));
        // the transformer, processor, router and warehouse answer only callers that send this token
        defaults.put("SERVICE_TOKEN", secrets.get("SERVICE_TOKEN"));
        // the gateway and the web app listen here (BIND_ADDRESS=0.0.0.0 to reach them from other machines); the
        // other services always listen on 127.0.0.1 only
        defaults.put("BIND_ADDRESS", "127.0.0.1");
        defaults.forEach((key, fallback) -> {
            String given = System.getenv(key);
            env.putIfAbsent(key, given == null || given.isBlank() ? fallback : given);
        });
        env.put("EGRESS_INTERNAL_HOSTS", internalHosts(System.getenv(), env));

        for (Service service : Service.startOrder()) {
            Map<String, String> own = new LinkedHashMap<>(env);
            own.put("SERVER_ADDRESS", serverAddress(service, env.get("BIND_ADDRESS")));
            services.start(service, own);
            services.awaitHealthy(service);
        }
        printBanner(env, System.getenv("WORKSPACE_CONFIG_PATH"));
        services.awaitAnyExit();
        System.exit(1); // a service died: the shutdown hook stops the rest
    }

    /**
     * Where a service listens: the gateway and the web app on {@code BIND_ADDRESS}, every other service (transformer,
     * processor, router, warehouse) on 127.0.0.1 whatever {@code BIND_ADDRESS} says (issue 14).
     */
    static String serverAddress(Service service, String bindAddress) {
        return service.publicFacing ? bindAddress : "127.0.0.1";
    }

    /**
     * {@code EGRESS_INTERNAL_HOSTS} for the services: what the user set, plus every service's {@code 127.0.0.1:port}
     * and the database's {@code host:port}, so that no destination reaches them unless {@code EGRESS_ALLOW} names
     * that exact {@code host:port} (a CIDR such as {@code 127.0.0.1/32}, meant for a webhook here, does not open
     * them; common-model {@code EgressPolicy}). A port on this machine is closed on all of its addresses.
     */
    static String internalHosts(Map<String, String> given, Map<String, String> env) {
        List<String> hosts = new java.util.ArrayList<>();
        String own = given.get("EGRESS_INTERNAL_HOSTS");
        if (own != null && !own.isBlank()) hosts.add(own.strip());
        for (Service service : Service.values()) hosts.add("127.0.0.1:" + service.port);
        String dbHost = env.getOrDefault("JOBS_DB_HOST", given.get("JOBS_DB_HOST"));
        String dbPort = env.getOrDefault("JOBS_DB_PORT", given.getOrDefault("JOBS_DB_PORT", "5432"));
        if (dbHost != null && !dbHost.isBlank()) {
            String host = dbHost.strip();
            hosts.add((host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + dbPort.strip());
        }
        return String.join(",", hosts);
    }

    private static void printBanner(Map<String, String> env, String configPath) {
        String writeKey = env.get("DEMO_WRITE_KEY");
        List<String> lines = List.of(
                "",
                "eventpipe is running",
                "  gateway      http://127.0.0.1:8080   (point your SDK's data plane URL here)",
                "  web app      http://127.0.0.1:5000   log in as " + env.get("ADMIN_EMAIL") + " with "
                        + (System.getenv("ADMIN_PASSWORD") == null
                                        || System.getenv("ADMIN_PASSWORD").isBlank()
                                ? "the password ADMIN_PASSWORD in .data/local.properties"
                                : "your ADMIN_PASSWORD")
                        + " (never printed)",
                configPath == null
                        ? "  write key    " + writeKey + "   (source \"Demo HTTP source\" of workspace \"Demo\")"
                        : "  config file  " + configPath + "   (WORKSPACE_CONFIG_PATH: the data plane reads this file)",
                "  try it       curl -u " + writeKey + ": -H 'Content-Type: application/json' "
                        + "-d '{\"userId\":\"u1\",\"event\":\"Signed Up\"}' http://127.0.0.1:8080/v1/track",
                "  warehouse    POSTGRES destinations load from here; staging files in .data/warehouse-staging",
                "  Ctrl-C stops everything; queued events are kept in .data/",
                "");
        lines.forEach(System.out::println);
    }
}
