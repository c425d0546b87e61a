package dev.eventpipe.launcher;

import java.util.List;

/**
 * The deployables, with the port their health is checked on and their default maximum heap, in the order they are
 * started. The heaps come from the whole-suite benchmark (docs/performance.md, "Memory"): each is what the service
 * needed under its load with room to spare, so that the suite stays within its memory goal instead of every JVM
 * growing into a share of the machine. {@code <NAME>_JAVA_OPTS} replaces a service's default ({@link #javaOptsVariable}).
 */
enum Service {
    CONFIG_BACKEND("config-backend", 5000, true, "512m"),
    TRANSFORMER("transformer-service", 9090, false, "512m"),
    GATEWAY("gateway-service", 8080, true, "256m"),
    PROCESSOR("processor-service", 8086, false, "768m"),
    ROUTER("router-service", 8087, false, "256m"),
    WAREHOUSE("warehouse-service", 8082, false, "512m");

    final String module;
    final int port;
    /** Users reach it (SDKs, browsers); the others are only called by the services themselves. */
    final boolean publicFacing;
    /** The default {@code -Xmx}. */
    final String heap;

    Service(String module, int port, boolean publicFacing, String heap) {
        this.module = module;
        this.port = port;
        this.publicFacing = publicFacing;
        this.heap = heap;
    }

    /**
     * The environment variable whose JVM options replace this service's default heap option: {@code
     * PROCESSOR_JAVA_OPTS}, {@code CONFIG_BACKEND_JAVA_OPTS}, ... (the container images read {@code JAVA_OPTS} the
     * same way, one container per service).
     */
    String javaOptsVariable() {
        return name() + "_JAVA_OPTS";
    }

    String shortName() {
        return module.replace("-service", "");
    }

    static List<Service> startOrder() {
        return List.of(values());
    }
}
