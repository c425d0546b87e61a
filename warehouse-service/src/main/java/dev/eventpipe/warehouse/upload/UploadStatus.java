package dev.eventpipe.warehouse.upload;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The states of an upload and of each of its tables. {@code waiting} → {@code exporting} → {@code exported}; a
 * failed attempt → {@code failed} (retried at {@code next_attempt_at}) or {@code aborted} once the retries are
 * spent. Exported and aborted are final (an aborted upload can be retried by hand, which makes it waiting).
 */
public enum UploadStatus {
    WAITING,
    EXPORTING,
    EXPORTED,
    FAILED,
    ABORTED;

    @JsonValue
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UploadStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
