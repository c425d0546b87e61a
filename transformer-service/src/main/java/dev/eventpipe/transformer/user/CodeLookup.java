package dev.eventpipe.transformer.user;

/** The answer of the config backend for one transformation version. */
sealed interface CodeLookup {
    record Found(UserCode code) implements CodeLookup {}

    /** The version does not exist or cannot run here: its events fail with this message. */
    record Missing(String error) implements CodeLookup {}

    /** The backend is down or answered 5xx: the whole request must be retried (HTTP 809). */
    record Unavailable(String reason) implements CodeLookup {}
}
