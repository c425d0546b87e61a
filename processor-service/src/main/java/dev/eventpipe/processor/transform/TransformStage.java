package dev.eventpipe.processor.transform;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.DestinationJson;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Per destination, in chunks: the user transformation ({@code POST /customTransform}) when the destination has
 * one, the message-type filter, then the destination transformation ({@code POST /v0/destinations/<type>}). Each
 * answer item is matched to its input by {@code metadata.jobId} and {@code metadata.messageId}; outputs are kept
 * in input order, whatever order the transformer answers in. Per-event failures and filtered events are noted on
 * the job and counted; a transformer that cannot answer throws, and the whole batch is retried. The chunks of
 * one step are posted concurrently (up to {@code processor.transformer.concurrency}); their answers are read in
 * chunk order, so the outcome does not depend on timing.
 */
@Component
public class TransformStage {
    private record Input(RoutedEvent routed, JsonNode message) {}

    private final TransformerClient client;
    private final ProcessorProperties.Transformer settings;

    public TransformStage(TransformerClient client, ProcessorProperties properties) {
        this.client = client;
        this.settings = properties.transformer();
    }

    public void apply(BatchWork work, ConfigIndex config) {
        Map<String, List<RoutedEvent>> byDestination = new LinkedHashMap<>();
        for (RoutedEvent r : work.routed())
            byDestination
                    .computeIfAbsent(r.destination().id(), k -> new ArrayList<>())
                    .add(r);
        for (List<RoutedEvent> group : byDestination.values()) {
            Destination destination = group.getFirst().destination();
            List<Input> inputs = new ArrayList<>();
            for (RoutedEvent r : group) inputs.add(new Input(r, r.message()));
            if (!destination.transformations().isEmpty()) inputs = userTransform(work, inputs, destination, config);
            inputs = supportedTypes(work, inputs, destination);
            destinationTransform(work, inputs, destination);
        }
    }

    private List<Input> userTransform(BatchWork work, List<Input> inputs, Destination d, ConfigIndex config) {
        List<List<Input>> chunks = chunks(inputs, settings.userBatchSize());
        List<ArrayNode> bodies = new ArrayList<>();
        for (List<Input> chunk : chunks) {
            ArrayNode body = EventJson.MAPPER.createArrayNode();
            for (Input in : chunk) {
                ObjectNode item = request(in, DestinationJson.pruned(d, EventJson.MAPPER));
                // the libraries of the event's own workspace (a data plane may serve many)
                item.set(
                        "libraries",
                        EventJson.MAPPER.valueToTree(
                                config.workspace(in.routed().job().job().workspaceId())
                                        .map(WorkspaceConfig::libraries)
                                        .orElse(List.of())));
                body.add(item);
            }
            bodies.add(body);
        }
        List<TransformerClient.Answer> answers = client.postAll("/customTransform", bodies, settings.concurrency());
        List<Input> out = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            List<Input> chunk = chunks.get(c);
            Map<RoutedEvent, List<JsonNode>> outputs = answer(work, chunk, answers.get(c), "user_transformation");
            for (Input in : chunk) {
                List<JsonNode> produced = outputs.get(in.routed());
                if (produced == null) continue; // failed or filtered, already noted
                if (produced.isEmpty())
                    work.filtered(in.routed(), "user_transformation", 298, "dropped by the user transformation");
                for (JsonNode message : produced) out.add(new Input(in.routed(), message));
            }
        }
        return out;
    }

    private List<Input> supportedTypes(BatchWork work, List<Input> inputs, Destination d) {
        List<Input> kept = new ArrayList<>(inputs.size());
        for (Input in : inputs) {
            MessageTypeRule.Verdict verdict = MessageTypeRule.check(in.message(), d);
            if (verdict == null) kept.add(in);
            else if (verdict.code() == 298) work.filtered(in.routed(), "event_filter", 298, verdict.reason());
            else work.failed(in.routed(), "event_filter", verdict.code(), verdict.reason());
        }
        return kept;
    }

    private void destinationTransform(BatchWork work, List<Input> inputs, Destination d) {
        if (settings.webhookInProcess() && "WEBHOOK".equals(d.type()) && webhookInProcess(inputs, d)) return;
        String path = "/v0/destinations/" + d.type().toLowerCase(Locale.ROOT);
        ObjectNode destinationJson = DestinationJson.full(d, EventJson.MAPPER);
        List<List<Input>> chunks = chunks(inputs, settings.destinationBatchSize());
        List<ArrayNode> bodies = new ArrayList<>();
        for (List<Input> chunk : chunks) {
            ArrayNode body = EventJson.MAPPER.createArrayNode();
            for (Input in : chunk) body.add(request(in, destinationJson));
            bodies.add(body);
        }
        List<TransformerClient.Answer> answers = client.postAll(path, bodies, settings.concurrency());
        for (int c = 0; c < chunks.size(); c++) {
            List<Input> chunk = chunks.get(c);
            Map<RoutedEvent, List<JsonNode>> outputs =
                    answer(work, chunk, answers.get(c), "destination_transformation");
            for (Input in : chunk) {
                List<JsonNode> produced = outputs.remove(in.routed()); // each routed's outputs once per chunk
                if (produced == null) continue;
                if (produced.isEmpty()) work.filtered(in.routed(), "destination_transformation", 298, "no output");
                for (JsonNode payload : produced) in.routed().addOutput(EventJson.MAPPER.writeValueAsString(payload));
            }
        }
    }

    /**
     * WEBHOOK deliveries built here, without a transformer call, when {@link WebhookEnvelope} knows every input of
     * the group; otherwise false, and the whole group goes to the transformer as before (one path per group, so
     * a user transformation's outputs keep their order).
     */
    private static boolean webhookInProcess(List<Input> inputs, Destination d) {
        if (inputs.isEmpty()) return true; // nothing to ask the transformer, whatever the config
        WebhookEnvelope envelope = WebhookEnvelope.forDestination(d);
        if (envelope == null) return false;
        for (Input in : inputs) if (!envelope.accepts(in.message())) return false;
        for (Input in : inputs) in.routed().addOutput(envelope.write(in.message()));
        return true;
    }

    private static ObjectNode request(Input in, ObjectNode destination) {
        ObjectNode item = EventJson.MAPPER.createObjectNode();
        item.set("message", in.message());
        item.set("metadata", in.routed().metadata());
        item.set("destination", destination);
        return item;
    }

    /**
     * Sorts the answer to one chunk: per routed event of the chunk, its outputs (an empty list when the
     * transformer returned nothing for it: dropped), or no entry when it failed or was filtered (noted here).
     */
    private static Map<RoutedEvent, List<JsonNode>> answer(
            BatchWork work, List<Input> chunk, TransformerClient.Answer answer, String stage) {
        Map<String, RoutedEvent> byKey = new HashMap<>();
        Map<RoutedEvent, List<JsonNode>> outputs = new LinkedHashMap<>();
        for (Input in : chunk) {
            byKey.putIfAbsent(in.routed().key(), in.routed());
            outputs.put(in.routed(), new ArrayList<>());
        }
        switch (answer) {
            case TransformerClient.Answer.Rejected rejected -> {
                for (RoutedEvent r : outputs.keySet()) work.failed(r, stage, rejected.status(), rejected.body());
                return new HashMap<>(); // callers remove from it
            }
            case TransformerClient.Answer.Items items -> {
                // Each item stands alone: a failed or filtered item is noted, a successful one kept, whatever
                // order they come in, so one failed output of a fan-out never discards its siblings.
                Set<RoutedEvent> noted = new HashSet<>();
                for (JsonNode item : items.items()) {
                    JsonNode metadata = item.path("metadata");
                    RoutedEvent r = byKey.get(metadata.path("jobId").asLong(-1) + "/"
                            + metadata.path("messageId").asString(""));
                    if (r == null) continue; // not one of ours: ignore rather than guess
                    int code = item.path("statusCode").asInt(200);
                    if (code == 200 && item.path("output").isObject()) {
                        outputs.get(r).add(item.path("output"));
                        continue;
                    }
                    noted.add(r);
                    String error = item.path("error").asString("");
                    if (code == 298)
                        work.filtered(r, stage, 298, error.isEmpty() ? "filtered by the transformer" : error);
                    else work.failed(r, stage, code == 200 ? 500 : code, error.isEmpty() ? "no output" : error);
                }
                // an event whose every item failed or was filtered goes no further; one with outputs does
                for (RoutedEvent r : noted) if (outputs.get(r).isEmpty()) outputs.remove(r);
                return outputs;
            }
        }
    }

    private static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) out.add(list.subList(i, Math.min(list.size(), i + size)));
        return out;
    }
}
