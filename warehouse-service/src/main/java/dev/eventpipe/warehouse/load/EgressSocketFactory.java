package dev.eventpipe.warehouse.load;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.model.egress.EgressSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * The PostgreSQL driver's sockets for warehouse connections ({@code socketFactory}): each is an {@link EgressSocket},
 * so the egress policy judges the address the driver actually dials, after resolving the destination's host (a
 * name that resolves inward is refused like a literal address). The driver makes the factory from its class name
 * and one string ({@code socketFactoryArg}): the key of the policy here, registered by {@link #key}.
 */
public final class EgressSocketFactory extends SocketFactory {
    private static final Map<String, EgressPolicy> POLICIES = new ConcurrentHashMap<>();
    // EgressPolicy has identity equality: one key per policy object (a service has one; tests a few)
    private static final Map<EgressPolicy, String> KEYS = new ConcurrentHashMap<>();

    private final EgressPolicy policy;

    /** Called by the driver with {@code socketFactoryArg}. */
    public EgressSocketFactory(String key) {
        EgressPolicy registered = POLICIES.get(key);
        if (registered == null) throw new IllegalStateException("no egress policy registered as " + key);
        this.policy = registered;
    }

    /** The key under which the driver finds {@code policy} (the same one for the same policy object). */
    static synchronized String key(EgressPolicy policy) {
        String known = KEYS.get(policy);
        if (known != null) return known;
        String key = "policy-" + (KEYS.size() + 1);
        KEYS.put(policy, key);
        POLICIES.put(key, policy);
        return key;
    }

    @Override
    public Socket createSocket() {
        return new EgressSocket(policy);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }
}
