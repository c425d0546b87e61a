package dev.eventpipe.configbackend.relay;

import dev.eventpipe.configbackend.access.Role;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One data-plane call the relay forwards: service, method, path, and the role the caller needs in the workspace
 * the call is about. Anything not listed here is not forwarded, whoever asks.
 */
record RelayRoute(String service, String method, Pattern path, Role role) {
    private static final String ID = "[A-Za-z0-9_-]+";

    /** Every call the web app makes through the relay. */
    static final List<RelayRoute> ALL = List.of(
            get("processor", "/api/v1/events/recent"),
            get("processor", "/api/v1/events/search"),
            get("processor", "/api/v1/backlog"),
            get("processor", "/api/v1/stats"),
            get("processor", "/api/v1/stats/series"),
            get("router", "/api/v1/jobs/recent"),
            get("router", "/api/v1/events/trace"),
            get("router", "/api/v1/stats"),
            get("router", "/api/v1/stats/series"),
            get("router", "/api/v1/failed-events"),
            get("router", "/api/v1/failed-events/" + ID),
            post("router", "/api/v1/failed-events/replay"),
            get("warehouse", "/api/v1/warehouse/uploads"),
            get("warehouse", "/api/v1/warehouse/uploads/" + ID),
            post("warehouse", "/api/v1/warehouse/uploads/sync"),
            post("warehouse", "/api/v1/warehouse/uploads/" + ID + "/retry"),
            get("warehouse", "/api/v1/warehouse/archive/files"),
            get("warehouse", "/api/v1/warehouse/archive/replays"),
            post("warehouse", "/api/v1/warehouse/archive/replays"),
            post("transformer", "/transformation/test"));

    static Optional<RelayRoute> find(String service, String method, String path) {
        return ALL.stream()
                .filter(r -> r.service.equals(service)
                        && r.method.equals(method)
                        && r.path.matcher(path).matches())
                .findFirst();
    }

    /** The transformer's code test concerns code, not a workspace's data: an editor of any workspace may run it. */
    boolean isCodeTest() {
        return service.equals("transformer");
    }

    private static RelayRoute get(String service, String path) {
        return new RelayRoute(service, "GET", Pattern.compile(path), Role.VIEWER);
    }

    private static RelayRoute post(String service, String path) {
        return new RelayRoute(service, "POST", Pattern.compile(path), Role.EDITOR);
    }
}
