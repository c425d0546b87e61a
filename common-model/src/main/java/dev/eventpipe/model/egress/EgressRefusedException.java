package dev.eventpipe.model.egress;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A connection the {@link EgressPolicy} refused before any packet was sent. An {@link IOException} so that HTTP
 * clients pass it through their connect path; callers find it in the cause chain ({@link #in(Throwable)}).
 */
public final class EgressRefusedException extends IOException {
    public EgressRefusedException(String reason) {
        super(reason);
    }

    /** The refusal somewhere in {@code error}'s cause chain, or null. */
    public static @Nullable EgressRefusedException in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EgressRefusedException refused) return refused;
        }
        return null;
    }
}
