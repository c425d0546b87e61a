package dev.eventpipe.launcher;

import java.util.List;

/** The deployables, with the port their health is checked on, in the order they are started. */
enum Service {
    CONFIG_BACKEND("config-backend", 5000, true),
    TRANSFORMER("transformer-service", 9090, false),
    GATEWAY("gateway-service", 8080, true),
    PROCESSOR("processor-service", 8086, false),
    ROUTER("router-service", 8087, false),
    WAREHOUSE("warehouse-service", 8082, false);

    final String module;
    final int port;
    /** Users reach it (SDKs, browsers); the others are only called by the services themselves. */
    final boolean publicFacing;

    Service(String module, int port, boolean publicFacing) {
        this.module = module;
        this.port = port;
        this.publicFacing = publicFacing;
    }

    String shortName() {
        return module.replace("-service", "");
    }

    static List<Service> startOrder() {
        return List.of(values());
    }
}
