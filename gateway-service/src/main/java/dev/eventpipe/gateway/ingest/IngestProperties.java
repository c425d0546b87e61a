package dev.eventpipe.gateway.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request limits ({@code gateway.*}).
 *
 * @param maxReqSizeInKb RudderStack's {@code Gateway.maxReqSizeInKB}: a body (after gunzip) over this many KiB is
 *     answered 413 before it is parsed
 * @param maxJsonDepth deepest allowed nesting of objects and arrays, counted from the request body's root; deeper
 *     bodies are 400 {@code invalid json}
 * @param allowReqsWithoutUserIdAndAnonymousId RudderStack's {@code Gateway.allowReqsWithoutUserIDAndAnonymousID}
 * @param maxInflightMb memory that requests being parsed and written may hold (about 6x their body size); a request
 *     that does not fit is answered 503
 */
@ConfigurationProperties("gateway")
public record IngestProperties(
        @DefaultValue("4000") int maxReqSizeInKb,
        @DefaultValue("64") int maxJsonDepth,
        @DefaultValue("false") boolean allowReqsWithoutUserIdAndAnonymousId,
        @DefaultValue("256") int maxInflightMb) {

    public long maxInflightBytes() {
        return maxInflightMb * 1024L * 1024L;
    }

    public int maxBodyBytes() {
        return maxReqSizeInKb * 1024;
    }
}
