package dev.eventpipe.system.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A destination on 127.0.0.1 that answers 200 at once and checks what it gets without parsing JSON: it finds each
 * {@code "bench":"<user>:<seq>:<sent ms>"} value in the body (one for a single event, several for a batch), counts
 * it, checks that each user's seq only grows (a seq at or below the last one seen is a duplicate or a reordering),
 * and records the delay from the load generator's send to here. {@link #nullServer} answers without looking at
 * the body, to measure the load generator alone.
 */
final class LeanSink implements AutoCloseable {
    private static final byte[] MARKER = "\"bench\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LAG_MS = 3_600_000;
    private final HttpServer server;
    private final int[] lastSeq;
    private final int measuredUsers;
    private long measured;
    private final int[] lagHistogram = new int[MAX_LAG_MS / 10 + 1]; // 10 ms buckets
    private long delivered;
    private long outOfOrder;
    private long requests;
    private long lastDeliveryNanos;

    private LeanSink(int users, int measuredUsers, boolean nullServer) {
        this.measuredUsers = measuredUsers;
        lastSeq = new int[users];
        java.util.Arrays.fill(lastSeq, -1);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!nullServer) record(body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] ok = "{}".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    /** Users 0 .. users-1 are checked; only those below {@code measuredUsers} count as {@link #measured}. */
    static LeanSink start(int users, int measuredUsers) {
        return new LeanSink(users, measuredUsers, false);
    }

    static LeanSink nullServer() {
        return new LeanSink(0, 0, true);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return baseUrl() + "/hook";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * Answers {@code GET /transformation/getByVersionId?versionId=} as the config backend does, for this one
     * version (anything else: 404), so the benchmark can put a user transformation on the path without running the
     * config backend and creating an account, a workspace and a transformation through it.
     */
    void serveTransformation(String versionId, String code) {
        String body = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .writeValueAsString(Map.of("versionId", versionId, "language", "javascript", "code", code));
        byte[] answer = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/transformation/getByVersionId", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            boolean known = query != null && query.equals("versionId=" + versionId);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(known ? 200 : 404, known ? answer.length : -1);
            if (known) exchange.getResponseBody().write(answer);
            exchange.close();
        });
    }

    private void record(byte[] body) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            requests++;
            for (int i = indexOf(body, 0); i >= 0; i = indexOf(body, i)) {
                int[] pos = {i};
                int user = (int) number(body, pos);
                int seq = (int) number(body, pos);
                long sent = number(body, pos);
                delivered++;
                if (user < measuredUsers) measured++;
                if (user < lastSeq.length) {
                    if (seq <= lastSeq[user]) outOfOrder++;
                    else lastSeq[user] = seq;
                }
                int lag = (int) Math.min(MAX_LAG_MS, Math.max(0, now - sent));
                lagHistogram[lag / 10]++;
                i = pos[0];
            }
            lastDeliveryNanos = System.nanoTime();
        }
    }

    private static int indexOf(byte[] body, int from) {
        outer:
        for (int i = from; i <= body.length - MARKER.length; i++) {
            for (int j = 0; j < MARKER.length; j++) if (body[i + j] != MARKER[j]) continue outer;
            return i + MARKER.length;
        }
        return -1;
    }

    /** Reads decimal digits at pos[0] and moves past the one separator that follows them. */
    private static long number(byte[] body, int[] pos) {
        long v = 0;
        int i = pos[0];
        while (i < body.length && body[i] >= '0' && body[i] <= '9') v = v * 10 + (body[i++] - '0');
        pos[0] = i + 1;
        return v;
    }

    synchronized long delivered() {
        return delivered;
    }

    /** Events of the measured users (the load, not the warm-up). */
    synchronized long measured() {
        return measured;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    synchronized long requests() {
        return requests;
    }

    synchronized long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** Users whose last seq seen is {@code seq}: with every event delivered once, each user's highest seq. */
    synchronized int[] lastSeqPerUser() {
        return lastSeq.clone();
    }

    /** The send-to-sink delay at quantile q (0..1), in ms (10 ms resolution). */
    synchronized long lagMillis(double q) {
        long target = (long) Math.ceil(q * delivered);
        long seen = 0;
        for (int b = 0; b < lagHistogram.length; b++) {
            seen += lagHistogram[b];
            if (seen >= target && seen > 0) return b * 10L;
        }
        return 0;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
