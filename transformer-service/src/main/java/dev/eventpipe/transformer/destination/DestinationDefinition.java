package dev.eventpipe.transformer.destination;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What a destination declares in its {@code definition.json}; {@code GET /destinationDefinitions} lists these
 * exactly, and the config backend syncs its catalogue from that list.
 *
 * @param name RudderStack's type key (WEBHOOK, AM, MP, GA4, SLACK)
 * @param configSchema JSON Schema (draft 2020-12) of the destination's config, for the web app's forms
 * @param secretKeys config paths holding secrets (masked by the web app)
 * @param transformAt where the transformation runs ("processor")
 * @param batching whether the router may batch this destination's deliveries
 */
public record DestinationDefinition(
        String name,
        String displayName,
        JsonNode configSchema,
        List<String> supportedMessageTypes,
        List<String> secretKeys,
        String transformAt,
        boolean batching) {}
