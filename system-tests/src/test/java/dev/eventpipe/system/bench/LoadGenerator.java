package dev.eventpipe.system.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A lean load generator: {@code clients} platform threads, each with one keep-alive HTTP/1.1 socket, posting
 * {@code /v1/batch} requests of {@code batchSize} events. Client {@code c} owns the users {@code u} with
 * {@code u % clients == c} and sends each user's events in sequence (property {@code bench = "<user>:<seq>:<sent
 * epoch ms>"}), one request at a time, so the order a user's events were accepted in is their seq order. With
 * {@code ratePerSecond > 0} the clients pace themselves to that total; otherwise they send as fast as answers come.
 * It parses nothing but the status line and Content-Length of the answers, so it costs little CPU next to the
 * services it drives.
 */
final class LoadGenerator {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();
    private final String host;
    private final int port;
    private final String auth;
    private final int clients;
    private final int users;
    private final int batchSize;
    private final double ratePerSecond;
    private final int userOffset;
    private final String runId;
    private final List<long[]> latencies = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    LoadGenerator(
            String host,
            int port,
            String writeKey,
            int clients,
            int users,
            int batchSize,
            double ratePerSecond,
            int userOffset) {
        this.host = host;
        this.port = port;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.clients = clients;
        this.users = users;
        this.batchSize = batchSize;
        this.ratePerSecond = ratePerSecond;
        this.userOffset = userOffset;
        this.runId = Long.toString(System.currentTimeMillis(), 36);
    }

    LoadGenerator start() {
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = Thread.ofPlatform().name("load-" + c).daemon().start(() -> run(client));
            threads.add(t);
        }
        return this;
    }

    /** Stops sending and waits for every request in flight to be answered. */
    void stop() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) t.join();
    }

    /** Request latencies in nanoseconds, every request of every client. */
    long[] latencies() {
        synchronized (latencies) {
            long[] all = new long[latencies.stream().mapToInt(a -> (int) a[0]).sum()];
            int i = 0;
            for (long[] a : latencies) {
                System.arraycopy(a, 1, all, i, (int) a[0]);
                i += (int) a[0];
            }
            Arrays.sort(all);
            return all;
        }
    }

    private void run(int client) {
        int owned = (users - client + clients - 1) / clients; // users client, client + clients, ...
        int[] seq = new int[owned];
        long[] lat = new long[1 << 16];
        int n = 0;
        int next = 0;
        double perClient = ratePerSecond / clients;
        long intervalNanos = perClient > 0 ? (long) (batchSize * 1e9 / perClient) : 0;
        long due = System.nanoTime();
        try (Connection conn = new Connection(host, port)) {
            while (!stopped) {
                if (intervalNanos > 0) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                    due += intervalNanos;
                }
                StringBuilder body = new StringBuilder(batchSize * 260).append("{\"batch\":[");
                long now = System.currentTimeMillis();
                for (int i = 0; i < batchSize; i++) {
                    int slot = next;
                    next = (next + 1) % owned;
                    int user = userOffset + client + slot * clients;
                    int s = seq[slot]++;
                    if (i > 0) body.append(',');
                    body.append("{\"type\":\"track\",\"event\":\"Bench Event\",\"userId\":\"user-")
                            .append(user)
                            .append("\",\"anonymousId\":\"anon-")
                            .append(user)
                            .append("\",\"messageId\":\"")
                            .append(runId)
                            .append('-')
                            .append(user)
                            .append('-')
                            .append(s)
                            .append("\",\"properties\":{\"bench\":\"")
                            .append(user)
                            .append(':')
                            .append(s)
                            .append(':')
                            .append(now)
                            .append("\",\"plan\":\"pro\",\"price\":12.5},\"context\":{\"library\":")
                            .append("{\"name\":\"eventpipe-bench\",\"version\":\"1.0\"}}}");
                }
                byte[] request = request(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
                long t0 = System.nanoTime();
                int status;
                try {
                    status = conn.send(request);
                } catch (IOException e) {
                    unknown.addAndGet(batchSize);
                    continue;
                }
                if (n + 1 >= lat.length) lat = Arrays.copyOf(lat, lat.length * 2);
                lat[++n] = System.nanoTime() - t0;
                if (status == 200) accepted.addAndGet(batchSize);
                else refused.addAndGet(batchSize);
            }
        } catch (IOException e) {
            System.err.println("load client " + client + ": " + e);
        }
        lat[0] = n;
        synchronized (latencies) {
            latencies.add(lat);
        }
    }

    private byte[] request(byte[] body) {
        byte[] head = ("POST /v1/batch HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + auth
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads the status, skips headers and body. */
    private static final class Connection implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Connection(String host, int port) throws IOException {
            this.host = host;
            this.port = port;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 8192);
        }

        int send(byte[] request) throws IOException {
            try {
                return exchange(request);
            } catch (IOException e) { // the server closed an idle connection: one more try on a new one
                close();
                connect();
                return exchange(request);
            }
        }

        private int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = 0;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Length"))
                    length = Long.parseLong(header.substring(colon + 1).trim());
                if (name.equalsIgnoreCase("Connection") && header.toLowerCase().contains("close")) close = true;
            }
            in.skipNBytes(length);
            if (close) {
                close();
                connect();
            }
            return code;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
