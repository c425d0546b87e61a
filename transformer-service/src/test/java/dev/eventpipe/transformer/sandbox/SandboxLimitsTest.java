package dev.eventpipe.transformer.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

class SandboxLimitsTest {
    private static final Source LOOP = Source.newBuilder(
                    "js", "export function transformEvent(e) { while (true) {} }", "loop.mjs")
            .mimeType("application/javascript+module")
            .buildLiteral();
    private static final Source IDENTITY = Source.newBuilder(
                    "js", "export function transformEvent(e) { return e; }", "identity.mjs")
            .mimeType("application/javascript+module")
            .buildLiteral();

    private static ScriptFailure failureOf(ContextPool pool, Source source) {
        Throwable thrown = catchThrowable(() -> pool.submit(
                        Realm.transformation("k"), js -> js.runEvent(js.userCode("k", source), "{}", "{}"))
                .join());
        assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ScriptFailure.class);
        return (ScriptFailure) thrown.getCause();
    }

    @Test
    void theStatementLimitCancelsTheCallAndThePoolReplacesTheContext() {
        SandboxProperties limits = SandboxProperties.defaults()
                .withPoolSize(1)
                .withTimeout(Duration.ofMinutes(1))
                .withStatementLimit(100_000);
        try (ContextPool pool = new ContextPool(new JsEngine(limits))) {
            ScriptFailure failure = failureOf(pool, LOOP);
            assertThat(failure.kind()).isEqualTo(ScriptFailure.Kind.STATEMENT_LIMIT);
            assertThat(failure.getMessage()).contains("Statement count limit");
            String next = pool.submit(
                            Realm.transformation("id"),
                            js -> js.runEvent(js.userCode("id", IDENTITY), "{\"a\":1}", "{}"))
                    .join();
            assertThat(next).isEqualTo("1{\"a\":1}");
        }
    }

    @Test
    void theHeapGuardStopsLongRunningCallsWhenTheHeapIsNearlyFull() {
        // no statement limit: the guard checks at most once a second, and the loop must not end by the count first
        SandboxProperties limits = SandboxProperties.defaults()
                .withPoolSize(1)
                .withStatementLimit(0)
                .withTimeout(Duration.ofMinutes(1));
        try (ContextPool pool = new ContextPool(new JsEngine(limits, () -> 0.99))) {
            ScriptFailure failure = failureOf(pool, LOOP);
            assertThat(failure.kind()).isEqualTo(ScriptFailure.Kind.MEMORY);
            assertThat(failure.getMessage()).contains("heap");
            assertThat(pool.stoppedCalls()).isEqualTo(1);
        }
    }

    @Test
    void theHeapGuardLeavesShortCallsAlone() {
        SandboxProperties limits = SandboxProperties.defaults().withPoolSize(1);
        try (ContextPool pool = new ContextPool(new JsEngine(limits, () -> 0.99))) {
            for (int i = 0; i < 100; i++) {
                String out = pool.submit(
                                Realm.transformation("id"),
                                js -> js.runEvent(js.userCode("id", IDENTITY), "{\"a\":1}", "{}"))
                        .join();
                assertThat(out).isEqualTo("1{\"a\":1}");
            }
        }
    }
}
