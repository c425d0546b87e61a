package dev.eventpipe.configbackend.seed;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * First-start settings: the demo workspace ({@code SEED_DEMO_WORKSPACE}), its data-plane token
 * ({@code WORKSPACE_TOKEN}) and write key ({@code DEMO_WRITE_KEY}); generated when blank.
 */
@ConfigurationProperties("configbackend.seed")
record SeedProperties(
        @DefaultValue("true") boolean demoWorkspace,
        @DefaultValue("") String workspaceToken,
        @DefaultValue("") String writeKey,
        @DefaultValue("http://localhost:5000") String uiAddress) {}
