package dev.eventpipe.transformer.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.jspecify.annotations.Nullable;

/**
 * The one GraalJS engine of the process. Every context shares it, so a script parsed and compiled in one context is
 * reused by all. All contexts get the same host-access configuration (GraalJS refuses different ones on a shared
 * engine): no host access, no IO, no threads, no processes, no environment, no polyglot.
 */
public final class JsEngine implements AutoCloseable {
    private final Engine engine;
    private final SandboxProperties properties;
    private final Source harness;
    private final @Nullable ResourceLimits limits;
    private final Set<JsContext> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong stoppedCalls = new AtomicLong();

    public JsEngine(SandboxProperties properties) {
        this.properties = properties;
        this.engine = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .build();
        this.harness = Source.newBuilder("js", resource("js/harness.js"), "harness.js")
                .cached(true)
                .buildLiteral();
        this.limits = properties.statementLimit() > 0
                ? ResourceLimits.newBuilder()
                        .statementLimit(properties.statementLimit(), null)
                        .build()
                : null;
    }

    /** "GraalVM CE" with the optimizing JIT, "Interpreted" on the fallback runtime. */
    public String implementationName() {
        return engine.getImplementationName();
    }

    public boolean optimizing() {
        return !"Interpreted".equalsIgnoreCase(implementationName());
    }

    boolean hasStatementLimit() {
        return limits != null;
    }

    public SandboxProperties properties() {
        return properties;
    }

    /** Calls the watchdog stopped (wall-clock limit or heap guard), counted as their failures are reported. */
    public long stoppedCalls() {
        return stoppedCalls.get();
    }

    void countStopped() {
        stoppedCalls.incrementAndGet();
    }

    /** Contexts currently open, for the watchdog. */
    Set<JsContext> live() {
        return live;
    }

    /** A new sandboxed context with the harness loaded; the caller owns it and must close it. */
    public JsContext newContext() {
        Context.Builder builder = Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("js.esm-eval-returns-exports", "true")
                .option("js.console", "false")
                .option("js.print", "false")
                .option("js.load", "false")
                .option("js.graal-builtin", "false");
        if (limits != null) {
            builder.resourceLimits(limits);
        }
        Context context = builder.build();
        JsContext js = new JsContext(this, context, context.eval(harness));
        live.add(js);
        return js;
    }

    void closed(JsContext js) {
        live.remove(js);
    }

    static String resource(String path) {
        try (InputStream in = JsEngine.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        live.forEach(JsContext::close);
        engine.close();
    }
}
