package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.auth.AuthResult;
import dev.eventpipe.gateway.auth.WriteKeyAuth;
import dev.eventpipe.gateway.ratelimit.WorkspaceRateLimiter;
import dev.eventpipe.gateway.reply.Reply;
import dev.eventpipe.gateway.reply.ReplyStyle;
import dev.eventpipe.gateway.storage.StorageGuard;
import dev.eventpipe.gateway.write.BatchWriter;
import dev.eventpipe.gateway.write.WriteOutcome;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The path of every ingestion request: authenticated source, then body (size, gzip), events (JSON, shape,
 * identity), rate limit, enrichment into one job per event, and the group commit. The answer is {@code 200 ok}
 * only when the commit succeeded; every refusal happens before anything is written.
 */
@Component
public class Ingestion {
    private final WorkspaceConfigClient config;
    private final RequestBodies bodies;
    private final BatchParser parser;
    private final JobFactory jobs;
    private final WorkspaceRateLimiter rateLimiter;
    private final BatchWriter writer;
    private final GatewayMetrics metrics;
    private final InstantSource clock;
    private final JsonMapper mapper;
    private final MemoryBudget budget;
    private final StorageGuard storage;
    private final WriteKeyAuth auth;

    Ingestion(
            WorkspaceConfigClient config,
            IngestProperties properties,
            WorkspaceRateLimiter rateLimiter,
            BatchWriter writer,
            GatewayMetrics metrics,
            StorageGuard storage,
            WriteKeyAuth auth) {
        this.storage = storage;
        this.config = config;
        this.auth = auth;
        this.mapper = EventJson.mapper(properties.maxJsonDepth());
        this.budget = new MemoryBudget(properties.maxInflightBytes());
        this.bodies = new RequestBodies(properties.maxBodyBytes(), budget);
        this.parser = new BatchParser(mapper, properties.allowReqsWithoutUserIdAndAnonymousId());
        this.jobs = new JobFactory(mapper);
        this.rateLimiter = rateLimiter;
        this.writer = writer;
        this.metrics = metrics;
        this.clock = InstantSource.system();
    }

    /**
     * Handles a request whose body holds the events.
     *
     * @param singleType the event type of a single-event route, null for batch routes
     */
    public Reply handle(HttpServletRequest request, AuthResult auth, String reqType, @Nullable String singleType) {
        return switch (auth) {
            case AuthResult.Denied denied -> count("none", reqType, denied.reply(), 0);
            case AuthResult.Authenticated ok -> withBody(request, ok.source(), reqType, singleType);
        };
    }

    private Reply withBody(HttpServletRequest request, Source source, String reqType, @Nullable String singleType) {
        if (!config.hasLoaded()) return count(source.id(), reqType, Reply.UNAVAILABLE, 0);
        if (!storage.accepting()) return count(source.id(), reqType, Reply.storageFull(storage.retryAfter()), 0);
        return switch (bodies.read(request)) {
            case BodyRead.Refused refused -> count(source.id(), reqType, refused.reply(), 0);
            case BodyRead.Body body -> {
                try (body) {
                    yield handleEvents(source, reqType, parser.parse(body.bytes(), singleType), request);
                }
            }
        };
    }

    /**
     * An SDK route: the write key is Basic auth's user name or, when the request has no {@code Authorization}
     * header (Segment's server SDKs), the body's top-level {@code writeKey}. The answer is in the client's dialect
     * ({@link ReplyStyle}).
     *
     * @param singleType the event type of a single-event route, null for batch routes
     */
    public ResponseEntity<byte[]> handleSdk(HttpServletRequest request, String reqType, @Nullable String singleType) {
        if (request.getHeader("Authorization") != null) {
            Reply reply = handle(request, auth.byHeader(request), reqType, singleType);
            return reply.toResponse(ReplyStyle.of(request, false));
        }
        return switch (bodies.read(request)) {
            case BodyRead.Refused refused ->
                count("none", reqType, refused.reply(), 0).toResponse(ReplyStyle.of(request, false));
            case BodyRead.Body body -> {
                try (body) {
                    String key = writeKeyInBody(body.bytes());
                    Reply reply = switch (key == null ? new AuthResult.Denied(Reply.NO_WRITE_KEY) : auth.byKey(key)) {
                        case AuthResult.Denied denied -> count("none", reqType, denied.reply(), 0);
                        case AuthResult.Authenticated ok ->
                            withReadBody(ok.source(), reqType, singleType, body.bytes(), request);
                    };
                    yield reply.toResponse(ReplyStyle.of(request, key != null));
                }
            }
        };
    }

    private Reply withReadBody(
            Source source, String reqType, @Nullable String singleType, byte[] body, HttpServletRequest request) {
        if (!config.hasLoaded()) return count(source.id(), reqType, Reply.UNAVAILABLE, 0);
        if (!storage.accepting()) return count(source.id(), reqType, Reply.storageFull(storage.retryAfter()), 0);
        return handleEvents(source, reqType, parser.parse(body, singleType), request);
    }

    private @Nullable String writeKeyInBody(byte[] body) {
        JsonNode root = readJson(body);
        JsonNode key = root == null ? null : root.get("writeKey");
        return key != null && key.isString() && !key.stringValue().isEmpty() ? key.stringValue() : null;
    }

    /** Handles events built by the gateway itself (webhook); they are checked like any other. */
    public Reply handleBuilt(HttpServletRequest request, AuthResult auth, String reqType, List<JsonNode> events) {
        return switch (auth) {
            case AuthResult.Denied denied -> count("none", reqType, denied.reply(), 0);
            case AuthResult.Authenticated ok ->
                !config.hasLoaded()
                        ? count(ok.source().id(), reqType, Reply.UNAVAILABLE, 0)
                        : !storage.accepting()
                                ? count(ok.source().id(), reqType, Reply.storageFull(storage.retryAfter()), 0)
                                : handleEvents(ok.source(), reqType, parser.events(events), request);
        };
    }

    /** The parser for untrusted JSON bodies of this gateway (limits applied). */
    public JsonMapper json() {
        return mapper;
    }

    /** Parses an untrusted JSON body with this gateway's limits; null when it is not valid JSON. */
    public @Nullable JsonNode readJson(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JacksonException | EventJson.NumberOutOfRange e) {
            return null;
        }
    }

    /**
     * Reads a body with this gateway's size, gzip and memory rules; a {@link BodyRead.Body} holds its share of the
     * memory budget until it is closed.
     */
    public BodyRead readBody(HttpServletRequest request) {
        return bodies.read(request);
    }

    private Reply handleEvents(Source source, String reqType, Parsed parsed, HttpServletRequest request) {
        return switch (parsed) {
            case Parsed.Invalid invalid -> count(source.id(), reqType, invalid.reply(), 0);
            case Parsed.Events events -> store(source, reqType, events.events(), request);
        };
    }

    private Reply store(Source source, String reqType, List<ParsedEvent> events, HttpServletRequest request) {
        RequestMeta meta = RequestMeta.of(request);
        if (meta.jobRunId().isEmpty() && meta.taskRunId().isEmpty()) {
            Optional<Duration> wait = rateLimiter.acquire(source.workspaceId(), events.size());
            if (wait.isPresent()) return count(source.id(), reqType, Reply.rateLimited(wait.get()), events.size());
        }
        List<NewJob> built = jobs.jobs(source, meta, events, clock.instant());
        Reply reply = switch (writer.write(built)) {
            case WriteOutcome.Stored s -> Reply.OK;
            case WriteOutcome.Failed f -> Reply.STORE_FAILED;
            case WriteOutcome.DataRefused r -> Reply.NOT_RUDDER_EVENT;
            case WriteOutcome.Refused r -> Reply.UNAVAILABLE;
            case WriteOutcome.TimedOut t -> Reply.GATEWAY_TIMEOUT;
        };
        return count(source.id(), reqType, reply, events.size());
    }

    private Reply count(String sourceId, String reqType, Reply reply, int events) {
        metrics.request(sourceId, reqType, reply.result(), events);
        return reply;
    }
}
