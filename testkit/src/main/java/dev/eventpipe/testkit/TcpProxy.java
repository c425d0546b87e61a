package dev.eventpipe.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP forwarder on 127.0.0.1 that a test can cut: {@link #cut()} closes every open connection and refuses new
 * ones (they are accepted and closed at once), {@link #restore()} lets connections through again. Between a
 * service and PostgreSQL it plays an unreachable database without touching the server ({@link #toDatabase}).
 */
public final class TcpProxy implements AutoCloseable {
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.*)");

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean up = true;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("tcp-proxy").start(this::acceptLoop);
    }

    /** A proxy to the server of {@code database}; {@link #database} is the same database reached through it. */
    public static TcpProxy toDatabase(TestPostgres.Database database) {
        Matcher m = jdbc(database);
        return new TcpProxy(m.group(1), Integer.parseInt(m.group(2)));
    }

    /** {@code database} reached through this proxy (its URL names the proxy's port instead of the server's). */
    public TestPostgres.Database database(TestPostgres.Database database) {
        Matcher m = jdbc(database);
        return new TestPostgres.Database(
                "jdbc:postgresql://127.0.0.1:" + port() + "/" + m.group(3), database.user(), database.password());
    }

    private static Matcher jdbc(TestPostgres.Database database) {
        Matcher m = JDBC.matcher(database.url());
        if (!m.matches()) throw new IllegalStateException("unexpected test URL " + database.url());
        return m;
    }

    public int port() {
        return server.getLocalPort();
    }

    public void cut() {
        up = false;
        for (Socket s : open) closeQuietly(s);
        open.clear();
    }

    public void restore() {
        up = true;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!up) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
