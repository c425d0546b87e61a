package dev.eventpipe.launcher;

import java.util.List;

/** The deployables, with the port their health is checked on, in the order they are started. */
enum Service {
    CONFIG_BACKEND("config-backend", 5000),
    TRANSFORMER("transformer-service", 9090),
    GATEWAY("gateway-service", 8080),
    PROCESSOR("processor-service", 8086),
    ROUTER("router-service", 8087),
    WAREHOUSE("warehouse-service", 8082);

    final String module;
    final int port;

    Service(String module, int port) {
        this.module = module;
        this.port = port;
    }

    String shortName() {
        return module.replace("-service", "");
    }

    static List<Service> startOrder() {
        return List.of(values());
    }
}
