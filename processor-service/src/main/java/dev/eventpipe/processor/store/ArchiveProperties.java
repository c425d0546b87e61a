package dev.eventpipe.processor.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code processor.archive.enabled} ({@code ARCHIVE_ENABLED}): whether the store transaction also writes a copy of
 * each handled event to the {@code arc} queue, which the warehouse service drains into archive files.
 */
@ConfigurationProperties("processor.archive")
public record ArchiveProperties(@DefaultValue("true") boolean enabled) {}
