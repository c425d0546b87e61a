package dev.eventpipe.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Users sending their events one after the other, as an SDK does: each user posts its next event (a /v1/batch of
 * {@code perRequest} events) only once the previous one was answered 200, and sends the same events again, with
 * the same messageIds, after an error or a dropped connection. Users run at the same time on virtual threads, each
 * at most one request per {@code pace} (zero: as fast as answers come), until {@code perUser} events or {@link #stop}.
 */
final class EventLoad {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicLong firstSentNanos = new AtomicLong();
    final AtomicLong lastAckNanos = new AtomicLong();
    private final String url;
    private final String auth;
    private final String prefix;
    private final int users;
    private final int perUser;
    private final int perRequest;
    private final Duration pace;
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.Map<Integer, Integer> sent = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    EventLoad(String url, String writeKey, int users, int perUser, int perRequest, Duration pace) {
        this(url, writeKey, "user", users, perUser, perRequest, pace);
    }

    /**
     * Users named {@code prefix-0 .. prefix-(users-1)}; their messageIds are {@code scale-<user>-<seq>} for the
     * prefix "user" (see {@link #messageId}), {@code <prefix>-<user>-<seq>} otherwise, so two loads can share a sink.
     */
    EventLoad(String url, String writeKey, String prefix, int users, int perUser, int perRequest, Duration pace) {
        this.prefix = prefix;
        this.url = url;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.users = users;
        this.perUser = perUser;
        this.perRequest = perRequest;
        this.pace = pace;
    }

    /** Users finish the request they are sending (with its retries) and send no more. */
    void stop() {
        stopped = true;
    }

    /** Events acknowledged per user, the messageIds of a user being seq 0 .. n-1. */
    java.util.Map<Integer, Integer> acknowledgedPerUser() {
        return java.util.Map.copyOf(sent);
    }

    EventLoad start() {
        firstSentNanos.set(System.nanoTime());
        for (int u = 0; u < users; u++) {
            int user = u;
            threads.add(Thread.ofVirtual().name("user-" + u).start(() -> run(user)));
        }
        return this;
    }

    boolean finished() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    private void run(int user) {
        for (int seq = 0; seq < perUser && !stopped; seq += perRequest) {
            long started = System.nanoTime();
            int last = Math.min(perUser, seq + perRequest);
            StringBuilder batch = new StringBuilder("{\"batch\":[");
            for (int s = seq; s < last; s++) {
                if (s > seq) batch.append(',');
                batch.append("""
                        {"type":"track","event":"Step","userId":"%s-%d","messageId":"%s",\
                        "properties":{"seq":%d},"originalTimestamp":"2026-01-01T00:00:00.000Z"}""".formatted(prefix, user, id(user, s), s));
            }
            batch.append("]}");
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                    .build();
            while (!send(request)) {
                retries.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // a client's back-off before it resends
            }
            for (int s = seq; s < last; s++) acknowledged.add(id(user, s));
            sent.put(user, last);
            lastAckNanos.set(System.nanoTime());
            long rest = pace.toNanos() - (System.nanoTime() - started);
            if (rest > 0) LockSupport.parkNanos(rest); // the load's shape: at most one request per pace
        }
    }

    private static boolean send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String id(int user, int seq) {
        return prefix.equals("user") ? messageId(user, seq) : prefix + "-" + user + "-" + seq;
    }

    static String messageId(int user, int seq) {
        return "scale-" + user + "-" + seq;
    }
}
