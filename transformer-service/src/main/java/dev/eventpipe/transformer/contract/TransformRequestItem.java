package dev.eventpipe.transformer.contract;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One element of the array the processor posts to {@code /customTransform} and {@code /v0/destinations/{type}}:
 * {@code {message, metadata, destination, libraries, credentials}}. For user transformations {@code destination}
 * is pruned to {@code {"Transformations":[{"VersionID":…}]}}.
 */
public record TransformRequestItem(
        @Nullable JsonNode message,
        @Nullable ObjectNode metadata,
        @Nullable JsonNode destination,
        @Nullable JsonNode libraries,
        @Nullable JsonNode credentials) {}
