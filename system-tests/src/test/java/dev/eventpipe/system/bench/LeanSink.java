package dev.eventpipe.system.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A destination on 127.0.0.1 that answers 200 at once and checks what it gets without parsing JSON: it finds each
 * {@code "bench":"<user>:<seq>:<sent ms>"} value in the body (one for a single event, several for a batch), counts
 * it, checks that each user's seq only grows (a seq at or below the last one seen is a duplicate or a reordering),
 * and records the delay from the load generator's send to here. {@link #nullServer} answers without looking at
 * the body, to measure the load generator alone.
 *
 * <p>It shares the machine with the suite it measures, so it costs as little as it can: Netty's HTTP/1.1 codec on
 * one event-loop thread, keep-alive, a fixed answer (issue 16: the JDK's {@code HttpServer} with a virtual thread
 * per exchange took about 35 µs of CPU a request, most of the benchmark process's 14-18 CPU-s of a 60 s load).
 */
final class LeanSink implements AutoCloseable {
    private static final byte[] MARKER = "\"bench\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private static final int MAX_LAG_MS = 3_600_000;
    private final EventLoopGroup loop;
    private final Channel server;
    private final boolean nullServer;
    private final int[] lastSeq;
    private final int measuredUsers;
    private long measured;
    private final int[] lagHistogram = new int[MAX_LAG_MS / 10 + 1]; // 10 ms buckets
    private long delivered;
    private long outOfOrder;
    private long requests;
    private long lastDeliveryNanos;
    private volatile @Nullable String transformationQuery;
    private volatile byte @Nullable [] transformationAnswer;

    private LeanSink(int users, int measuredUsers, boolean nullServer) {
        this.measuredUsers = measuredUsers;
        this.nullServer = nullServer;
        lastSeq = new int[users];
        java.util.Arrays.fill(lastSeq, -1);
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            server = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_BODY))
                                    .addLast(new Exchange());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            loop.shutdownGracefully();
            throw e;
        }
    }

    /** One request: the transformation's code when asked for it, else the body checked and 200 {@code {}}. */
    private final class Exchange extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            String uri = request.uri();
            if (uri.startsWith("/transformation/getByVersionId")) {
                byte[] answer = transformationAnswer;
                String query = uri.indexOf('?') < 0 ? null : uri.substring(uri.indexOf('?') + 1);
                boolean known = answer != null && query != null && query.equals(transformationQuery);
                response = known ? answer(HttpResponseStatus.OK, answer) : answer(HttpResponseStatus.NOT_FOUND, null);
            } else {
                if (!nullServer) record(request.content());
                response = answer(HttpResponseStatus.OK, OK);
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a peer that went away mid-request; the router counts what it did not get answered
        }
    }

    private static FullHttpResponse answer(HttpResponseStatus status, byte @Nullable [] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (body != null) response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
        return response;
    }

    /** Users 0 .. users-1 are checked; only those below {@code measuredUsers} count as {@link #measured}. */
    static LeanSink start(int users, int measuredUsers) {
        return new LeanSink(users, measuredUsers, false);
    }

    static LeanSink nullServer() {
        return new LeanSink(0, 0, true);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
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
        transformationQuery = "versionId=" + versionId;
        transformationAnswer = body.getBytes(StandardCharsets.UTF_8);
    }

    private void record(ByteBuf content) {
        byte[] body = ByteBufUtil.getBytes(content);
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
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
