package dev.eventpipe.router.delivery;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.model.egress.EgressSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled HTTP/1.1 client whose every exchange has one deadline: connecting, sending, the response headers and
 * the body together (RudderStack's Go {@code http.Client{Timeout}}). A peer that sends headers and then stalls
 * or trickles the body is cut off when the deadline passes (within {@link #TICK_MILLIS}), by cancelling the exchange
 * (which closes its connection). The answer's body is read up to a bound; a longer one is not drained (its connection is dropped).
 *
 * <p>Built {@link #forDestinations for destinations}: every socket is an {@link EgressSocket}, so the egress
 * policy judges each address actually dialled (after DNS, after every redirect); up to 10 redirects are followed
 * (307 and 308 keep the method and body; 301, 302 and 303 turn a POST into a GET, as Go's client does), and a hop
 * to another origin goes without the credential headers ({@link CrossOriginHeaders}). No
 * cookies, no automatic retries (the router retries), no decompression (bodies are passed on as they came), no
 * proxy from system properties. {@link #forServices For the suite's own services}: plain sockets, no redirects.
 * Thread-safe; share one per purpose.
 */
public final class TimedHttpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimedHttpClient.class);
    static final int MAX_REDIRECTS = 10;

    private final CloseableHttpClient client;
    private final boolean followRedirects;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Duration, RequestConfig> configs = new ConcurrentHashMap<>();
    /** The exchanges in flight; every {@link #TICK_MILLIS} the timer cancels those past their deadline. */
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * How often the deadlines are checked: an exchange is cut at most this much after its deadline. A timer task
     * scheduled and cancelled per exchange cost the timer thread a wake-up per request whenever no other exchange
     * was in flight (its queue's new head: 5.4 us a request with one sender, issue 16, ClientCpuPerRequest).
     */
    static final long TICK_MILLIS = 10;

    private record InFlight(HttpUriRequestBase request, long deadline, AtomicBoolean expired) {
        // one per exchange, told apart by identity
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private TimedHttpClient(DetachedSocketFactory sockets, boolean followRedirects) {
        TlsSocketStrategy tls = DefaultClientTlsStrategy.createDefault();
        var operator = new DefaultHttpClientConnectionOperator(
                sockets,
                DefaultSchemePortResolver.INSTANCE,
                SystemDefaultDnsResolver.INSTANCE,
                RegistryBuilder.<TlsSocketStrategy>create()
                        .register("https", tls)
                        .build());
        var connections = new PoolingHttpClientConnectionManager(
                operator, PoolConcurrencyPolicy.LAX, PoolReusePolicy.LIFO, TimeValue.ofMinutes(5), null);
        connections.setMaxTotal(4096);
        connections.setDefaultMaxPerRoute(512);
        connections.setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(10))
                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                .build());
        var builder = HttpClients.custom();
        // a redirect to another origin drops the delivery's credential headers (SECURITY.md)
        if (followRedirects)
            builder.setRedirectStrategy(CrossOriginHeaders.REDIRECTS)
                    .addExecInterceptorAfter(
                            ChainElement.REDIRECT.name(), CrossOriginHeaders.NAME, new CrossOriginHeaders());
        this.client = builder.setConnectionManager(connections)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        this.followRedirects = followRedirects;
        this.timer = new ScheduledThreadPoolExecutor(
                1, r -> Thread.ofPlatform().daemon().name("http-deadlines").unstarted(r));
        timer.scheduleWithFixedDelay(this::cancelExpired, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** For deliveries to destinations: egress-checked sockets, redirects followed. */
    public static TimedHttpClient forDestinations(EgressPolicy egress) {
        return new TimedHttpClient(proxy -> new EgressSocket(egress), true);
    }

    /** For calls to the suite's own services (the transformer): plain sockets, no redirects. */
    public static TimedHttpClient forServices() {
        return new TimedHttpClient(proxy -> new Socket(), false);
    }

    /** A finished exchange: the status, the headers and the body read up to the bound ({@code complete} if all). */
    public record Answer(int status, Header[] headers, byte[] body, boolean complete) {
        public @Nullable String header(String name) {
            for (Header h : headers) if (h.getName().equalsIgnoreCase(name)) return h.getValue();
            return null;
        }
    }

    /** The deadline passed before the exchange finished. */
    public static final class DeadlineExceededException extends IOException {
        DeadlineExceededException(Duration timeout) {
            super("no complete answer within " + timeout + " (connect, send, headers and body together)");
        }
    }

    /**
     * Sends {@code request} and reads the answer, all within {@code timeout}.
     *
     * @throws DeadlineExceededException when the deadline passed first
     * @throws IOException for a network failure, a refused address or too many redirects
     */
    public Answer exchange(HttpUriRequestBase request, Duration timeout, int maxBody) throws IOException {
        request.setConfig(configs.computeIfAbsent(timeout, this::config));
        AtomicBoolean expired = new AtomicBoolean();
        InFlight exchange = new InFlight(request, System.nanoTime() + timeout.toNanos(), expired);
        inFlight.add(exchange);
        try {
            ClassicHttpResponse response = client.executeOpen(null, request, null);
            try {
                HttpEntity entity = response.getEntity();
                byte[] body = new byte[0];
                boolean complete = true;
                if (entity != null) {
                    InputStream in = entity.getContent();
                    body = readUpTo(in, maxBody, entity.getContentLength());
                    complete = in.read() < 0;
                    // a longer body is not drained (that could take forever): its connection is dropped instead
                    if (complete) EntityUtils.consume(entity);
                    else request.cancel();
                }
                if (expired.get()) throw new DeadlineExceededException(timeout);
                return new Answer(response.getCode(), response.getHeaders(), body, complete);
            } finally {
                closeQuietly(response);
            }
        } catch (IOException | RuntimeException e) {
            if (expired.get()) throw new DeadlineExceededException(timeout);
            throw e;
        } finally {
            inFlight.remove(exchange);
        }
    }

    /**
     * Cancels the exchanges past their deadline (which closes their connections). Nothing may escape: a periodic
     * task that throws is never run again, and no deadline would be kept after it.
     */
    private void cancelExpired() {
        try {
            long now = System.nanoTime();
            for (InFlight exchange : inFlight) {
                if (now - exchange.deadline() < 0 || !exchange.expired().compareAndSet(false, true)) continue;
                try {
                    exchange.request().cancel();
                } catch (Throwable e) {
                    // HttpClient's cancel closes the connection and throws nothing known; if it did, the other
                    // exchanges' deadlines must still be kept
                    logQuietly("cancelling an exchange past its deadline failed", e);
                }
            }
        } catch (Throwable e) {
            // the walk itself (an OutOfMemoryError while the heap is full, say): the next tick tries again, as
            // nothing else bounds a read (review of 2026-12-01: a throw here ended the periodic task for good)
            logQuietly("checking the exchanges' deadlines failed; checking again in " + TICK_MILLIS + " ms", e);
        }
    }

    private static void logQuietly(String message, Throwable e) {
        try {
            log.atError().setCause(e).log(message);
        } catch (Throwable ignored) {
            // the log may fail for the same reason (no heap); the deadlines matter more than the line
        }
    }

    /**
     * The same settings for every exchange of one timeout (a destination type's): built once, immutable. No socket
     * timeout on reads: the exchange's deadline cuts a read that waits too long (by closing the connection,
     * {@code HttpDeliveryTest}), and a socket timeout as well made every blocking read of a worker's virtual thread
     * a timed park, each scheduled and cancelled on the JDK's ForkJoinPool delay scheduler: 3.5-5 of 25-29 µs of
     * the client's CPU per request on this machine; in a whole-suite run that scheduler's thread, which served the
     * status committer's timed waits too, took 10 % of the router's CPU (issue 16,
     * router-service/figures/2026-12-01-router-cpu).
     */
    private RequestConfig config(Duration timeout) {
        return RequestConfig.custom()
                .setRedirectsEnabled(followRedirects)
                .setMaxRedirects(MAX_REDIRECTS)
                .setResponseTimeout(Timeout.DISABLED)
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build();
    }

    /**
     * What {@code in.readNBytes(max)} answers (the first {@code max} bytes, fewer at the end of the stream), into a
     * buffer of the declared length when there is one: {@code readNBytes} starts with a buffer of {@code max} bytes
     * (10 KB here) for every answer, most of which are a few bytes long.
     */
    static byte[] readUpTo(InputStream in, int max, long declaredLength) throws IOException {
        byte[] buf = new byte[(int) Math.min(max, declaredLength >= 0 ? declaredLength : 512)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n == max) break;
                int b = in.read(); // a body longer than declared, or of no declared length: grow
                if (b < 0) break;
                buf = Arrays.copyOf(buf, Math.min(max, Math.max(512, n * 2)));
                buf[n++] = (byte) b;
                continue;
            }
            int read = in.read(buf, n, buf.length - n);
            if (read < 0) break;
            n += read;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // the connection is gone either way
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
    }
}
