package dev.eventpipe.router.batching;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.delivery.TimedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * The router's side of rudder-transformer's batch contract. {@code POST /batch} with {@code {destType, input:
 * [{message, metadata, destination}]}} answers an array, in the order to send, of {@code {batchedRequest,
 * metadata: [...], statusCode: 200}} or {@code {metadata: [...], statusCode, error}}. {@code GET /features} says
 * which destination types can batch ({@code destinations.<TYPE>.batching}); it is read again every
 * {@code featuresRefresh}, and the last answer is kept while the transformer is unreachable.
 */
@Component
public class BatchTransformerClient implements AutoCloseable {
    /** The largest answer read: a plan for {@code batch-max-jobs} jobs of large events. */
    static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final TimedHttpClient client = TimedHttpClient.forServices();
    private final RouterProperties.Transformer settings;
    private final InstantSource clock;
    private final Object featuresLock = new Object();
    private volatile @Nullable Set<String> batchingTypes;
    private volatile Instant featuresReadAt = Instant.MIN;

    @Autowired
    BatchTransformerClient(RouterProperties properties, InstantSource routerClock) {
        this(properties.transformer(), routerClock);
    }

    BatchTransformerClient(RouterProperties.Transformer settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** One job to combine: its stored delivery description (exact JSON) and the metadata the transformer echoes. */
    public record Input(String payload, ObjectNode metadata) {}

    /** One element of the answer: a combined request for {@code jobIds}, or their failure. */
    public record Planned(
            List<Long> jobIds, int statusCode, @Nullable JsonNode request, String error) {
        public boolean ok() {
            return statusCode == 200 && request != null && !request.isNull();
        }
    }

    /** The transformer could not be asked (down, timeout, an answer that is not the contract's). */
    public static final class TransformerUnavailableException extends Exception {
        TransformerUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Whether the transformer declares batching for this type; empty while it has never answered
     * {@code /features}.
     */
    public Optional<Boolean> canBatch(String destinationType) {
        Instant now = clock.instant();
        if (Duration.between(featuresReadAt, now).compareTo(settings.featuresRefresh()) > 0) refreshFeatures(now);
        Set<String> types = batchingTypes;
        return types == null ? Optional.empty() : Optional.of(types.contains(destinationType.toUpperCase(Locale.ROOT)));
    }

    private void refreshFeatures(Instant now) {
        synchronized (featuresLock) {
            if (Duration.between(featuresReadAt, now).compareTo(settings.featuresRefresh()) <= 0) return;
            // one try per refresh interval, answered or not, so a transformer that is down is not asked per job
            featuresReadAt = now;
            try {
                HttpGet get = new HttpGet(uri("/features"));
                ServiceToken.fromEnvironment().ifPresent(t -> get.setHeader("Authorization", t.authorization()));
                TimedHttpClient.Answer answer = client.exchange(get, Duration.ofSeconds(5), 1 << 20);
                if (answer.status() != 200 || !answer.complete()) return;
                Set<String> types = new HashSet<>();
                Json.mapper()
                        .readTree(answer.body())
                        .path("destinations")
                        .properties()
                        .forEach(e -> {
                            if (e.getValue().path("batching").asBoolean(false))
                                types.add(e.getKey().toUpperCase(Locale.ROOT));
                        });
                batchingTypes = Set.copyOf(types);
            } catch (IOException | JacksonException e) {
                // keep the last answer
            }
        }
    }

    /** Asks the transformer to combine the inputs, all of one destination (sent as {@code destination}). */
    public List<Planned> batch(String destinationType, List<Input> inputs, ObjectNode destination)
            throws TransformerUnavailableException {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("destType", destinationType.toLowerCase(Locale.ROOT));
        ArrayNode input = body.putArray("input");
        for (Input in : inputs) {
            ObjectNode item = input.addObject();
            item.putRawValue("message", new RawValue(in.payload()));
            item.set("metadata", in.metadata());
            item.set("destination", destination);
        }
        HttpPost post = new HttpPost(uri("/batch"));
        post.setEntity(new ByteArrayEntity(Json.write(body), ContentType.APPLICATION_JSON));
        ServiceToken.fromEnvironment().ifPresent(t -> post.setHeader("Authorization", t.authorization()));
        TimedHttpClient.Answer answer;
        try {
            // one deadline for the whole call, body included: a transformer that stalls mid-answer is given up on
            answer = client.exchange(post, settings.timeout(), MAX_ANSWER_BYTES);
        } catch (IOException e) {
            throw new TransformerUnavailableException("transformer unreachable: " + e.getMessage());
        }
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        if (answer.status() != 200)
            throw new TransformerUnavailableException(
                    "transformer answered " + answer.status() + ": " + abbreviate(text, 500));
        if (!answer.complete())
            throw new TransformerUnavailableException("transformer answer is over " + MAX_ANSWER_BYTES + " bytes");
        try {
            // exact: the batched requests' numbers go to the destination as the transformer wrote them
            return parse(Json.exact().readTree(text));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new TransformerUnavailableException("transformer answer is not a batch: " + e.getMessage());
        }
    }

    private static List<Planned> parse(JsonNode answer) {
        if (!answer.isArray()) throw new IllegalArgumentException("not an array");
        List<Planned> planned = new ArrayList<>(answer.size());
        for (JsonNode item : answer) {
            List<Long> ids = new ArrayList<>();
            for (JsonNode m : item.path("metadata")) {
                JsonNode id = m.path("jobId");
                if (!id.canConvertToLong()) throw new IllegalArgumentException("an element without metadata.jobId");
                ids.add(id.asLong());
            }
            JsonNode request = item.get("batchedRequest");
            planned.add(new Planned(
                    ids,
                    item.path("statusCode").asInt(500),
                    request == null || request.isNull() ? null : request,
                    // stored in the jobs' status rows: bounded like a destination's response
                    abbreviate(item.path("error").asString(""), 10 * 1024)));
        }
        return planned;
    }

    private URI uri(String path) {
        return URI.create(settings.url().replaceAll("/+$", "") + path);
    }

    @Override
    public void close() {
        client.close();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
