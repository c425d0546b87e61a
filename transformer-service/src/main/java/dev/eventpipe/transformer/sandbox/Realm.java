package dev.eventpipe.transformer.sandbox;

/**
 * Which code a context may run; a context belongs to one realm for its whole life. The destination modules have
 * their own realm, every transformation version (or code test run) its own, so code of one tenant never shares a
 * JavaScript global object with code of another, nor with the destination modules that build deliveries.
 *
 * @param name {@code destinations}, {@code transformation:<version key>}, or {@code once:<n>} for a realm whose
 *     context is closed after its single task (code tests)
 * @param reusable whether the context goes back to the pool after a task
 */
public record Realm(String name, boolean reusable) {
    /** The destination modules (trusted code shipped with the service); never runs user code. */
    public static final Realm DESTINATIONS = new Realm("destinations", true);

    private static final java.util.concurrent.atomic.AtomicLong ONCE = new java.util.concurrent.atomic.AtomicLong();

    /** The one transformation version whose code runs here ({@code key} is the version id). */
    public static Realm transformation(String key) {
        return new Realm("transformation:" + key, true);
    }

    /** A realm for a single task: its context is new and is closed afterwards. */
    public static Realm once() {
        return new Realm("once:" + ONCE.incrementAndGet(), false);
    }

    boolean runsDestinations() {
        return this.equals(DESTINATIONS);
    }
}
