package dev.eventpipe.configbackend.account;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed attempts per key (an account or a client address) within a sliding window. A key is refused while its
 * failures in the window plus its attempts still being checked reach the limit: counting the pending ones means a
 * burst of parallel guesses cannot all pass before the first failure is recorded. Every {@link #begin} that is
 * admitted must be ended by exactly one of {@link #failed}, {@link #succeeded} or {@link #released}.
 *
 * <p>Bounded: at most {@code maxKeys} keys, the least recently used forgotten first, and at most {@code limit} times
 * per key. Thread-safe behind one lock; each log-in costs a bcrypt hash, so the lock is never the bottleneck.
 */
final class FailureWindow {
    /** How long a key refused only for its pending attempts should wait: they end within a password check. */
    static final Duration PENDING_WAIT = Duration.ofSeconds(1);

    private final int limit;
    private final long windowMillis;
    private final InstantSource clock;
    private final LinkedHashMap<String, Failures> keys;

    FailureWindow(int limit, Duration window, int maxKeys, InstantSource clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.keys =
                new LinkedHashMap<>(16, 0.75f, true) { // access order: the eldest entry is the stalest
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                        return size() > maxKeys;
                    }
                };
    }

    /** Starts an attempt: empty when admitted, else how long until the key is admitted again. */
    synchronized Optional<Duration> begin(String key) {
        long now = clock.millis();
        Failures failures = keys.computeIfAbsent(key, k -> new Failures(limit));
        failures.forgetUpTo(now - windowMillis);
        if (failures.count + failures.pending < limit) {
            failures.pending++;
            return Optional.empty();
        }
        return Optional.of(
                failures.count >= limit ? Duration.ofMillis(failures.oldest() + windowMillis - now) : PENDING_WAIT);
    }

    /** Ends an attempt as a failure; true when this failure made the key refused. */
    synchronized boolean failed(String key) {
        long now = clock.millis();
        Failures failures = keys.computeIfAbsent(key, k -> new Failures(limit)); // evicted meanwhile: count anew
        failures.end();
        failures.forgetUpTo(now - windowMillis);
        boolean wasAdmitting = failures.count < limit;
        failures.add(now);
        return wasAdmitting && failures.count == limit;
    }

    /** Ends an attempt as a success: the key's failures are forgotten. */
    synchronized void succeeded(String key) {
        Failures failures = keys.get(key);
        if (failures == null) return;
        failures.end();
        failures.count = 0;
        if (failures.pending == 0) keys.remove(key);
    }

    /** Ends an attempt that counts for nothing (the password was not checked, or it failed for another reason). */
    synchronized void released(String key) {
        Failures failures = keys.get(key);
        if (failures == null) return;
        failures.end();
        if (failures.pending == 0 && failures.count == 0) keys.remove(key);
    }

    /** One key's failure times (epoch millis, oldest first, at most {@code limit}) and its attempts being checked. */
    private static final class Failures {
        private final int limit;
        private long[] times;
        private int count;
        private int pending;

        Failures(int limit) {
            this.limit = limit;
            this.times = new long[Math.min(limit, 4)];
        }

        void add(long at) {
            if (count == limit) System.arraycopy(times, 1, times, 0, --count); // the oldest no longer matters
            else if (count == times.length) times = Arrays.copyOf(times, Math.min(limit, count * 2));
            times[count++] = at;
        }

        void forgetUpTo(long cutoff) {
            int gone = 0;
            while (gone < count && times[gone] <= cutoff) gone++;
            System.arraycopy(times, gone, times, 0, count - gone);
            count -= gone;
        }

        long oldest() {
            return times[0];
        }

        void end() {
            if (pending > 0) pending--;
        }
    }
}
