package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.reply.Reply;
import java.util.List;

/** The outcome of reading a request's events: all valid, or the request is refused whole. */
sealed interface Parsed {
    record Events(List<ParsedEvent> events) implements Parsed {}

    record Invalid(Reply reply) implements Parsed {}
}
