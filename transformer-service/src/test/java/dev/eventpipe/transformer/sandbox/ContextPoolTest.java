package dev.eventpipe.transformer.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContextPoolTest {
    private static ContextPool pool;

    @BeforeAll
    static void start() {
        // a statement limit so high that the wall-clock limit is what stops the endless loop on any machine
        pool = new ContextPool(new JsEngine(SandboxProperties.defaults()
                .withTimeout(Duration.ofSeconds(2))
                .withPoolSize(1)
                .withStatementLimit(1_000_000_000_000L)));
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    private static String event(String code, String event) {
        String key = Integer.toHexString(code.hashCode());
        return pool.submit(
                        Realm.transformation(key),
                        js -> js.runEvent(js.userCode(key, source(code)), event, "{\"sourceId\":\"s\"}"))
                .join();
    }

    private static Source source(String code) {
        boolean module = code.contains("export ");
        String text = module
                ? code
                : "(function(){" + code
                        + "\n;return {transformEvent: typeof transformEvent === 'function' ? transformEvent : undefined,"
                        + " transformBatch: typeof transformBatch === 'function' ? transformBatch : undefined};})()";
        return Source.newBuilder("js", text, module ? "t.mjs" : "t.js")
                .mimeType(module ? "application/javascript+module" : "application/javascript")
                .buildLiteral();
    }

    @Test
    void anExportedTransformEventReturnsTheChangedEvent() {
        assertThat(event("export function transformEvent(e, m) { e.x = m(e).sourceId; return e; }", "{\"a\":1}"))
                .isEqualTo("1{\"a\":1,\"x\":\"s\"}");
    }

    @Test
    void aPlainScriptFunctionWorksToo() {
        assertThat(event("function transformEvent(e) { return [e, {b: 2}]; }", "{\"a\":1}"))
                .isEqualTo("N{\"a\":1}\n{\"b\":2}");
    }

    @Test
    void anAsyncTransformationIsSettled() {
        assertThat(event("export async function transformEvent(e) { await null; e.y = 1; return e; }", "{}"))
                .isEqualTo("1{\"y\":1}");
    }

    @Test
    void javaAndTheHostAreOutOfReach() {
        assertThat(event(
                        "export function transformEvent(e) { return {t: typeof Java, p: typeof Polyglot,"
                                + " l: typeof load, pr: typeof print, r: typeof require, g: typeof Graal, f: typeof fetch,"
                                + " pk: typeof Packages, j: typeof java, pc: typeof process}; }",
                        "{}"))
                .isEqualTo("1{\"t\":\"undefined\",\"p\":\"undefined\",\"l\":\"undefined\",\"pr\":\"undefined\","
                        + "\"r\":\"undefined\",\"g\":\"undefined\",\"f\":\"undefined\",\"pk\":\"undefined\","
                        + "\"j\":\"undefined\",\"pc\":\"undefined\"}");
    }

    @Test
    void deepRecursionFailsWithARangeError() {
        assertThat(event("export function transformEvent(e) { const f = n => f(n + 1) + 1; return f(0); }", "{}"))
                .startsWith("ERangeError");
    }

    @Test
    void anEndlessLoopTimesOutAndTheContextStaysUsable() {
        assertThatThrownBy(() -> event("export function transformEvent(e) { while (true) {} }", "{}"))
                .hasRootCauseInstanceOf(ScriptFailure.class)
                .rootCause()
                .hasMessageContaining("timed out");
        assertThat(event("export function transformEvent(e) { return e; }", "{\"ok\":true}"))
                .isEqualTo("1{\"ok\":true}");
    }
}
