package dev.eventpipe.gateway.ingest;

import tools.jackson.databind.node.ObjectNode;

/**
 * One valid event of a request, with its cleaned identifiers ({@code ""} when absent).
 *
 * @param event the event as sent (plus the route's {@code type}); enrichment adds fields to it
 */
record ParsedEvent(ObjectNode event, String anonymousId, String userId) {}
