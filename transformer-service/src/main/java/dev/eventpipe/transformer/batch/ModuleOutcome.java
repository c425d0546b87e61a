package dev.eventpipe.transformer.batch;

/** What one call of a destination's batch module gave. */
sealed interface ModuleOutcome {
    /** It returned a value: that value as JSON. */
    record Returned(String json) implements ModuleOutcome {}

    /**
     * It threw or returned nothing ({@code 400}: the router aborts the items), or the sandbox stopped it or could not
     * run it ({@code 500}: the router retries them later; a noisy neighbour must not cost events).
     */
    record Failed(int status, String error) implements ModuleOutcome {}
}
