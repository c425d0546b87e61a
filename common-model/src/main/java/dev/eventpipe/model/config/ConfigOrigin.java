package dev.eventpipe.model.config;

import org.jspecify.annotations.Nullable;

/** Where a workspace config comes from: a file or the control plane's HTTP endpoint. */
public interface ConfigOrigin {
    /**
     * Reads the config unless it still carries {@code lastTag}.
     *
     * @param lastTag the tag of the config in use, or null before the first success
     */
    FetchResult fetch(@Nullable String lastTag);

    /** A short name for logs and health: {@code JSON} for a file, {@code API} for the control plane. */
    String mode();

    /** The namespace polled for every workspace of the control plane, or null (one workspace, or a file). */
    default @Nullable String namespace() {
        return null;
    }
}
