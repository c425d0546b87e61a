package dev.eventpipe.configbackend.relay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where the data-plane services answer, for {@link DataPlaneRelay}. */
@ConfigurationProperties("configbackend.relay")
record RelayProperties(
        @DefaultValue("http://127.0.0.1:8087") String routerUrl,
        @DefaultValue("http://127.0.0.1:8086") String processorUrl,
        @DefaultValue("http://127.0.0.1:9090") String transformerUrl,
        @DefaultValue("http://127.0.0.1:8082") String warehouseUrl,
        @DefaultValue("30s") Duration timeout) {}
