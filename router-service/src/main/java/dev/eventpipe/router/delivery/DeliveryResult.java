package dev.eventpipe.router.delivery;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What one delivery attempt came to. {@code body} is already bounded and safe to store. */
public sealed interface DeliveryResult {
    /** 2xx: delivered (298 means the destination filtered it). */
    record Delivered(int status, String body, String contentType) implements DeliveryResult {}

    /** 4xx other than 408/429, or a request that cannot be built: retrying cannot help, abort now. */
    record Rejected(int status, String body, String contentType) implements DeliveryResult {}

    /** 5xx, 408, 429, timeout, network error: try again later ({@code retryAfter} from the response, if any). */
    record Retryable(
            int status,
            String body,
            String contentType,
            @Nullable Duration retryAfter) implements DeliveryResult {}

    /** Not sent at all (no usable batch plan, or the router stopped): no attempt is counted, retry after {@code retryIn}. */
    record NotAttempted(String reason, Duration retryIn) implements DeliveryResult {}
}
