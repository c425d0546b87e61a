package dev.eventpipe.configbackend.catalogue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where the catalogue comes from (the transformer, {@code DEST_TRANSFORM_URL}) and how often it is re-read. */
@ConfigurationProperties("configbackend.catalogue")
record CatalogueProperties(
        @DefaultValue("http://127.0.0.1:9090") String url,
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10s") Duration retryInterval,
        @DefaultValue("5m") Duration interval) {}
