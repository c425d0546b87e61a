package dev.eventpipe.processor.transform;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * POSTs one chunk to the transformer (rudder-transformer contract, reference §3.3). A 200 must carry
 * {@code apiVersion: 2} and a JSON array of items. Other statuses up to 499, except 408 and 429, are terminal for
 * the chunk ({@link Answer.Rejected}: every event of it fails with that code). Everything else (5xx, 408, 429,
 * 809, network errors, a malformed answer) throws {@link TransformerUnavailableException}: the batch is retried.
 */
@Component
public class TransformerClient {
    /** What the transformer said about a chunk. */
    public sealed interface Answer {
        record Items(List<JsonNode> items) implements Answer {}

        record Rejected(int status, String body) implements Answer {}
    }

    private final HttpClient http;
    private final String baseUrl;
    private final ProcessorProperties.Transformer settings;
    private final TransformerStatus status;

    public TransformerClient(ProcessorProperties properties, TransformerStatus status) {
        this.settings = properties.transformer();
        this.baseUrl = settings.url().replaceAll("/+$", "");
        this.status = status;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Posts the bodies with at most {@code concurrency} calls in flight (virtual threads) and returns the answers
     * in the order of the bodies. If any call cannot be answered, the first such failure is thrown once all calls
     * have ended.
     */
    public List<Answer> postAll(String path, List<ArrayNode> bodies, int concurrency) {
        if (bodies.size() == 1) return List.of(post(path, bodies.getFirst()));
        Semaphore slots = new Semaphore(Math.max(1, concurrency));
        List<Future<Answer>> futures = new ArrayList<>(bodies.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ArrayNode body : bodies)
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return post(path, body);
                    } finally {
                        slots.release();
                    }
                }));
        } // close() waits for every call
        List<Answer> answers = new ArrayList<>(bodies.size());
        for (Future<Answer> f : futures) {
            try {
                answers.add(f.resultNow());
            } catch (IllegalStateException e) {
                Throwable cause = f.exceptionNow();
                if (cause instanceof RuntimeException r) throw r;
                throw unavailable("transformer call failed: " + cause, cause);
            }
        }
        return answers;
    }

    public Answer post(String path, ArrayNode body) {
        HttpRequest request = ServiceToken.authorize(HttpRequest.newBuilder(URI.create(baseUrl + path)))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-Feature-Filter-Code", "?1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventJson.MAPPER.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable("transformer unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while calling the transformer", e);
        }
        try {
            Answer answer = interpret(
                    response.statusCode(),
                    response.headers().firstValue("apiVersion").orElse(""),
                    response.body());
            status.up();
            return answer;
        } catch (TransformerUnavailableException e) {
            status.down(e.getMessage() + " on " + path);
            throw e;
        }
    }

    /**
     * What an answer means for its chunk: the items of a 200 with {@code apiVersion: 2}, a rejection for other
     * statuses up to 499 (but 408 and 429), else {@link TransformerUnavailableException} (the batch is retried).
     */
    public static Answer interpret(int code, String apiVersion, byte[] body) {
        if (code == 200) return items(apiVersion, body);
        if (code < 500 && code != 408 && code != 429 && code >= 200) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            return new Answer.Rejected(code, text.length() > 2000 ? text.substring(0, 2000) : text);
        }
        throw new TransformerUnavailableException("transformer answered " + code, null);
    }

    private static Answer items(String apiVersion, byte[] body) {
        if (!"2".equals(apiVersion))
            throw new TransformerUnavailableException("transformer answered without the header apiVersion: 2", null);
        JsonNode tree;
        try {
            tree = EventJson.MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            // valid JSON past the reader's limits (the answer nests an event two levels deeper than the gw job
            // did): the same on every attempt, so not "the transformer is down"; the loop isolates the event
            throw e;
        } catch (RuntimeException e) {
            throw new TransformerUnavailableException("transformer answered with invalid JSON", e);
        }
        if (tree == null || !tree.isArray())
            throw new TransformerUnavailableException("transformer answer is not an array", null);
        List<JsonNode> items = new ArrayList<>(tree.size());
        tree.forEach(items::add);
        return new Answer.Items(items);
    }

    private TransformerUnavailableException unavailable(String message, Throwable cause) {
        status.down(message);
        return new TransformerUnavailableException(message, cause);
    }
}
