package dev.eventpipe.gateway.auth;

import dev.eventpipe.gateway.reply.Reply;
import dev.eventpipe.model.config.Source;

/** The outcome of write-key authentication. */
public sealed interface AuthResult {
    /** The write key belongs to an enabled source. */
    record Authenticated(Source source) implements AuthResult {}

    /** The request is refused with RudderStack's answer (401 or 404). */
    record Denied(Reply reply) implements AuthResult {}
}
