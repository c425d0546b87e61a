package dev.eventpipe.configbackend.web;

import dev.eventpipe.configbackend.access.DataPlaneProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/instance} (any logged-in caller): what the web app needs to know about this installation, the
 * gateway's public address, which every SDK snippet names as data plane URL and as the JS SDK's {@code configUrl}.
 */
@RestController
class InstanceController {
    record Instance(String dataPlaneUrl) {}

    private final DataPlaneProperties dataPlane;

    InstanceController(DataPlaneProperties dataPlane) {
        this.dataPlane = dataPlane;
    }

    @GetMapping("/api/v1/instance")
    Instance instance() {
        return new Instance(dataPlane.publicUrl().replaceAll("/+$", ""));
    }
}
