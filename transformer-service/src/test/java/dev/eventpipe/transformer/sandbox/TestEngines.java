package dev.eventpipe.transformer.sandbox;

import java.util.function.DoubleSupplier;

/** Engines with a test's heap probe, for tests outside this package (the constructor is package-private). */
public final class TestEngines {
    private TestEngines() {}

    /**
     * An engine whose watchdog reads {@code heapUsedFraction} (no garbage to collect) on every pass, on the watchdog
     * thread.
     */
    public static JsEngine withHeapProbe(SandboxProperties properties, DoubleSupplier heapUsedFraction) {
        return new JsEngine(properties, heapUsedFraction);
    }
}
