package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.reply.Reply;

/** The request body, or why it could not be read. */
public sealed interface BodyRead {
    record Body(byte[] bytes) implements BodyRead {}

    record Refused(Reply reply) implements BodyRead {}
}
