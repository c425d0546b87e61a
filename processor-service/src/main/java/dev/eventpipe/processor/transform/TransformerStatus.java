package dev.eventpipe.processor.transform;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Whether the last call to the transformer worked, for /health. */
@Component
public class TransformerStatus {
    private volatile @Nullable String lastError;
    private volatile @Nullable Instant downSince;

    void up() {
        lastError = null;
        downSince = null;
    }

    void down(String error) {
        lastError = error;
        if (downSince == null) downSince = Instant.now();
    }

    public boolean isUp() {
        return downSince == null;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Instant> downSince() {
        return Optional.ofNullable(downSince);
    }
}
