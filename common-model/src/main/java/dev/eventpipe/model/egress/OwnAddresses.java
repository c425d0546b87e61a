package dev.eventpipe.model.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The suite's own addresses, in two strengths.
 *
 * <p><b>The suite's services</b>, which only an exact {@code host:port} entry of the allow-list opens (a CIDR or a
 * bare host never does): the entries of {@code internalHosts} (names, addresses and CIDRs on every port;
 * {@code host:port} on that port) and the {@code host:port} of every service URL this service is given (its jobs
 * database's JDBC URL, the transformer's, the config backend's). A service endpoint on this machine (its host is a
 * loopback address, {@code localhost} or an address of this machine) protects its port on every address of this
 * machine, loopback included: a server listening on {@code 127.0.0.1:15432} may also listen on the others.
 *
 * <p><b>This machine and the service URLs' hosts on their other ports</b>, which any entry of the allow-list that
 * covers them opens, as loopback and link-local.
 *
 * <p>Names are resolved again at most every {@link #REFRESH}, so a service that moves (a new container, a
 * rescheduled pod) is still recognised.
 */
final class OwnAddresses {
    static final Duration REFRESH = Duration.ofSeconds(30);

    /** A host (name or literal, lower case, no brackets) and a port. */
    record Endpoint(String host, int port) {
        String text() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private record Dialled(InetAddress address, int port) {}

    /** What the names resolved to at {@code at}. */
    private record Snapshot(
            long at,
            Set<InetAddress> machine,
            Map<InetAddress, String> services,
            Map<Dialled, String> endpoints,
            Map<Integer, String> localPorts,
            Map<InetAddress, String> weak) {}

    private final Set<String> names;
    private final List<AddressRange> ranges = new ArrayList<>();
    private final Set<Endpoint> endpoints = new LinkedHashSet<>();
    private final Set<String> serviceHosts = new LinkedHashSet<>();
    private volatile @Nullable Snapshot snapshot;

    /**
     * @param internalHosts the suite's services: names, addresses or CIDRs (every port) and {@code host:port}
     * @param serviceUrls URLs of the suite's services this one talks to ({@code jdbc:postgresql://h:p/db},
     *     {@code http://h:p}); their {@code host:port} is a service endpoint, their host on other ports this machine's
     * @throws IllegalArgumentException when an entry of {@code internalHosts} cannot be read
     */
    OwnAddresses(Collection<String> internalHosts, Collection<String> serviceUrls) {
        Set<String> hostNames = new LinkedHashSet<>();
        for (String raw : internalHosts) {
            String h = raw.trim().toLowerCase(Locale.ROOT);
            if (h.isEmpty()) continue;
            try {
                if (h.contains("/")) ranges.add(AddressRange.parse(h));
                else if (h.startsWith("[") || h.indexOf(':') == h.lastIndexOf(':') && h.contains(":")) {
                    Endpoint e = hostAndPort(h, 0);
                    if (e.port() == 0) ranges.add(AddressRange.parse(e.host()));
                    else endpoints.add(e);
                } else if (EgressPolicy.literal(h) != null) ranges.add(AddressRange.parse(h));
                else hostNames.add(h);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "EGRESS_INTERNAL_HOSTS: cannot read \"" + h + "\" (a name, an address, a CIDR or host:port)",
                        e);
            }
        }
        this.names = Set.copyOf(hostNames);
        for (String url : serviceUrls) {
            for (Endpoint e : endpointsOf(url)) {
                endpoints.add(e);
                serviceHosts.add(e.host());
            }
        }
    }

    /**
     * Why {@code address:port} is one of the suite's services (which only an exact {@code host:port} allow entry
     * opens), or empty.
     */
    Optional<String> service(InetAddress address, int port) {
        InetAddress a = EgressPolicy.embeddedIpv4(address);
        for (AddressRange r : ranges) if (r.contains(a)) return Optional.of("an address of this suite's services");
        Snapshot now = current();
        String owner = now.services().get(a);
        if (owner != null) return Optional.of(owner);
        String endpoint = now.endpoints().get(new Dialled(a, port));
        if (endpoint != null) return Optional.of(endpoint);
        String local = now.localPorts().get(port);
        if (local != null && isLocal(a, now.machine())) return Optional.of(local);
        return Optional.empty();
    }

    /**
     * The same for a host name a tenant wrote (the early check, which does not resolve it): a name of the suite's
     * services, a service endpoint's {@code host:port}, or a name of this machine on a port of a service here.
     */
    Optional<String> serviceName(String name, int port, boolean nameOfThisMachine) {
        if (names.contains(name)) return Optional.of("a service of this suite");
        if (endpoints.contains(new Endpoint(name, port))) return Optional.of(portOfTheSuite(name, port));
        if (nameOfThisMachine) {
            String local = current().localPorts().get(port);
            if (local != null) return Optional.of(local);
        }
        return Optional.empty();
    }

    /** Why {@code address} is this machine's or a service's host on another port (any covering allow entry opens it). */
    Optional<String> weak(InetAddress address) {
        return Optional.ofNullable(current().weak().get(EgressPolicy.embeddedIpv4(address)));
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s != null && System.nanoTime() - s.at() < REFRESH.toNanos()) return s;
        synchronized (this) {
            s = snapshot;
            if (s != null && System.nanoTime() - s.at() < REFRESH.toNanos()) return s;
            s = resolve();
            snapshot = s;
            return s;
        }
    }

    private Snapshot resolve() {
        Set<InetAddress> machine = interfaces();
        Map<InetAddress, String> services = new HashMap<>();
        for (String name : names)
            for (InetAddress a : addresses(name))
                services.putIfAbsent(a, "the address of this suite's service " + name);
        Map<Dialled, String> dialled = new HashMap<>();
        Map<Integer, String> localPorts = new HashMap<>();
        for (Endpoint e : endpoints) {
            String why = portOfTheSuite(e.host(), e.port());
            for (InetAddress a : addresses(e.host())) {
                InetAddress plain = EgressPolicy.embeddedIpv4(a);
                dialled.putIfAbsent(new Dialled(plain, e.port()), why);
                if (isLocal(plain, machine)) localPorts.putIfAbsent(e.port(), why);
            }
        }
        Map<InetAddress, String> weak = new HashMap<>();
        machine.forEach(a -> weak.put(a, "an address of this machine"));
        for (String host : serviceHosts)
            for (InetAddress a : addresses(host))
                weak.putIfAbsent(EgressPolicy.embeddedIpv4(a), "the address of this suite's service " + host);
        return new Snapshot(
                System.nanoTime(),
                Set.copyOf(machine),
                Map.copyOf(services),
                Map.copyOf(dialled),
                Map.copyOf(localPorts),
                Map.copyOf(weak));
    }

    private static String portOfTheSuite(String host, int port) {
        return "a port of this suite's own services (" + new Endpoint(host, port).text() + ")";
    }

    /** Loopback, unspecified (which dials this machine) or one of this machine's interfaces. */
    private static boolean isLocal(InetAddress a, Set<InetAddress> machine) {
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || machine.contains(a);
    }

    private static List<InetAddress> addresses(String host) {
        InetAddress literal = EgressPolicy.literal(host);
        if (literal != null) return List.of(literal);
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of(); // a service that is not deployed here has no address to protect
        }
    }

    /**
     * The {@code host:port} endpoints of a service URL: {@code jdbc:postgresql://a:5432,b/db} (5432 by default),
     * {@code http://h:9090}, {@code https://h} (80, 443). Nothing for a URL it cannot read (no scheme, no host).
     */
    static List<Endpoint> endpointsOf(String url) {
        String u = url.trim();
        if (u.regionMatches(true, 0, "jdbc:", 0, 5)) u = u.substring(5);
        int sep = u.indexOf("://");
        if (sep <= 0) return List.of();
        String scheme = u.substring(0, sep).toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "postgresql", "postgres" -> 5432;
            case "http" -> 80;
            case "https" -> 443;
            default -> 0;
        };
        String rest = u.substring(sep + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) end = i;
        }
        String authority = rest.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        List<Endpoint> out = new ArrayList<>();
        for (String part : authority.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) continue;
            try {
                Endpoint e = hostAndPort(p, defaultPort);
                if (e.port() > 0 && !e.host().isBlank()) out.add(e);
            } catch (IllegalArgumentException e) {
                // not a URL of a service we can protect; the service itself will fail on it
            }
        }
        return List.copyOf(out);
    }

    /** {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port}; {@code defaultPort} when no port is given. */
    private static Endpoint hostAndPort(String text, int defaultPort) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("no ]");
            host = text.substring(1, close);
            InetAddress.ofLiteral(host);
            String tail = text.substring(close + 1);
            if (!tail.isEmpty() && !tail.startsWith(":")) throw new IllegalArgumentException("expected :port after ]");
            port = tail.isEmpty() ? "" : tail.substring(1);
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            InetAddress.ofLiteral(text); // an IPv6 literal without a port
            host = text;
            port = "";
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? "" : text.substring(colon + 1);
        }
        int number = port.isEmpty() ? defaultPort : Integer.parseInt(port.trim());
        if (number < 0 || number > 65535 || host.isBlank() || (!port.isEmpty() && number == 0))
            throw new IllegalArgumentException("bad host or port");
        return new Endpoint(host, number);
    }

    private static Set<InetAddress> interfaces() {
        try {
            return NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .map(OwnAddresses::withoutScope)
                    .collect(Collectors.toSet());
        } catch (SocketException e) {
            return Set.of();
        }
    }

    /** fe80::1%eth0 and fe80::1 are the same address to compare with. */
    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            return a;
        }
    }
}
