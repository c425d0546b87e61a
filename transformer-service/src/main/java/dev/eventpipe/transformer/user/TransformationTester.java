package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.ScriptResult;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsContext;
import dev.eventpipe.transformer.sandbox.Realm;
import dev.eventpipe.transformer.sandbox.ScriptFailure;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs code from the web app's editor against sample events, with {@code log()} capture on, under the same
 * per-call limits as production calls. Each run gets a new context that is closed afterwards, on a pool of its
 * own (so tests never hold a production script thread), within a short deadline for the whole run.
 */
final class TransformationTester implements AutoCloseable {
    private final ContextPool pool;
    private final JsonMapper json;

    /** @param pool the code tests' own pool, not the production one */
    TransformationTester(ContextPool pool, JsonMapper json) {
        this.pool = pool;
        this.json = json;
    }

    TestRun test(String code, List<JsonNode> events) {
        long started = System.nanoTime();
        UserCode userCode = UserCode.forTest(code);
        long deadline = ContextPool.deadlineFromNow(pool.engine().properties().testDeadline());
        // a run that only starts after its deadline (the test threads were busy) is answered 503
        return ContextPool.await(pool.submit(Realm.once(), deadline, js -> {
            js.captureLogs(true);
            List<JsonNode> outputs = new ArrayList<>();
            List<TestRun.EventError> errors = new ArrayList<>();
            run(js, userCode, events, outputs, errors);
            List<String> logs = logs(js);
            return new TestRun(List.copyOf(outputs), errors, logs, (System.nanoTime() - started) / 1_000_000);
        }));
    }

    @Override
    public void close() {
        pool.close();
    }

    private String deadlineMessage() {
        return "Not run: the test ran past its deadline of "
                + pool.engine().properties().testDeadline().toSeconds() + " s";
    }

    private void run(
            JsContext js,
            UserCode userCode,
            List<JsonNode> events,
            List<JsonNode> outputs,
            List<TestRun.EventError> errors) {
        Value code;
        try {
            code = js.userCode(userCode.key(), userCode.source());
        } catch (ScriptFailure e) {
            errors.add(new TestRun.EventError(
                    -1, null, e.kind() == ScriptFailure.Kind.DEADLINE ? deadlineMessage() : e.getMessage()));
            return;
        }
        if (js.isBatch(code)) {
            ArrayNode all = json.createArrayNode();
            ArrayNode metas = json.createArrayNode();
            events.forEach(all::add);
            events.forEach(e -> metas.add(metadata(e)));
            collect(
                    call(() -> js.runBatch(code, json.writeValueAsString(all), json.writeValueAsString(metas))),
                    -1,
                    null,
                    outputs,
                    errors);
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String meta = json.writeValueAsString(metadata(event));
            String messageId =
                    event.path("messageId").isString() ? event.path("messageId").asString() : null;
            if (js.isBroken()) {
                errors.add(new TestRun.EventError(i, messageId, "Not run: the sandbox stopped an earlier event"));
                continue;
            }
            if (pastDeadline(js)) {
                errors.add(new TestRun.EventError(i, messageId, deadlineMessage()));
                continue;
            }
            collect(call(() -> js.runEvent(code, json.writeValueAsString(event), meta)), i, messageId, outputs, errors);
        }
    }

    private static boolean pastDeadline(JsContext js) {
        try {
            js.checkDeadline();
            return false;
        } catch (ScriptFailure e) {
            return true;
        }
    }

    private String call(java.util.function.Supplier<String> work) {
        try {
            return work.get();
        } catch (ScriptFailure e) {
            return "E" + (e.kind() == ScriptFailure.Kind.DEADLINE ? deadlineMessage() : e.getMessage());
        }
    }

    private void collect(
            String encoded,
            int index,
            @Nullable String messageId,
            List<JsonNode> outputs,
            List<TestRun.EventError> errors) {
        switch (ScriptResult.decode(encoded)) {
            case ScriptResult.Outputs(List<String> out) -> out.forEach(o -> outputs.add(json.readTree(o)));
            case ScriptResult.Dropped d -> {}
            case ScriptResult.Failed(String error) -> errors.add(new TestRun.EventError(index, messageId, error));
        }
    }

    private List<String> logs(JsContext js) {
        if (js.isBroken()) {
            return List.of();
        }
        try {
            String taken = js.takeLogs();
            js.captureLogs(false);
            List<String> lines = new ArrayList<>();
            json.readTree(taken).forEach(line -> lines.add(line.asString()));
            return lines;
        } catch (PolyglotException | IllegalStateException e) {
            return List.of();
        }
    }

    private ObjectNode metadata(JsonNode event) {
        ObjectNode meta = json.createObjectNode();
        meta.put("sourceId", "test-source");
        meta.put("destinationId", "test-destination");
        meta.put("workspaceId", "test-workspace");
        meta.put("transformationVersionId", "testVersionId");
        if (event.path("messageId").isString()) {
            meta.put("messageId", event.path("messageId").asString());
        }
        return meta;
    }
}
