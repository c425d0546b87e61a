package dev.eventpipe.gateway.write;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The group-commit writer ({@code gateway.writer.*}).
 *
 * @param queueCapacity requests waiting for a commit; when full, new requests get 503 at once
 * @param maxQueuedBytes payload bytes waiting for a commit; over it, new requests get 503 at once
 * @param maxBatchEvents events stored by one transaction (a request is never split)
 * @param writeTimeout how long a request waits for its commit before 504 {@code gateway timeout} (RudderStack's
 *     WriteTimeout); a request whose write has already started waits for the outcome instead, so a 504 never
 *     hides a commit
 * @param failFast after a failed commit, new requests get 503 at once for this long, then the next commit probes
 *     the database again
 */
@ConfigurationProperties("gateway.writer")
public record WriterProperties(
        @DefaultValue("4096") int queueCapacity,
        @DefaultValue("268435456") long maxQueuedBytes,
        @DefaultValue("10000") int maxBatchEvents,
        @DefaultValue("10s") Duration writeTimeout,
        @DefaultValue("1s") Duration failFast) {}
