package dev.eventpipe.transformer.user;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The body of {@code POST /transformation/test}: code and sample events. */
record TestRequest(
        @Nullable String code,
        @Nullable List<JsonNode> events,
        @Nullable String language) {}
