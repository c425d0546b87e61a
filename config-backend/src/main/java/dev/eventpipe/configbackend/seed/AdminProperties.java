package dev.eventpipe.configbackend.seed;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first admin ({@code ADMIN_EMAIL} / {@code ADMIN_PASSWORD}); a blank password is generated and written to
 * {@code adminPasswordFile} (mode 0600), never logged.
 */
@ConfigurationProperties("configbackend.security")
record AdminProperties(
        @DefaultValue("") String adminEmail,
        @DefaultValue("") String adminPassword,
        @DefaultValue("first-admin-password") String adminPasswordFile) {}
