package dev.eventpipe.model.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code EGRESS_ALLOW}: comma-separated CIDRs ({@code 10.1.0.0/16}, {@code ::1/128}), addresses, and endpoints
 * {@code host:port} ({@code sink:8080}, {@code [::1]:9000}); a bare host name allows every port of that host. A
 * name is compared with the name the connection was opened for, else resolved and compared by address. Only a
 * {@code host:port} entry opens one of the suite's own services ({@link #allowsExactly}).
 */
record AllowList(List<AddressRange> ranges, List<Endpoint> endpoints) {

    /** A host (name or literal) and a port; {@code port} 0 means any port. */
    record Endpoint(String host, int port) {}

    static AllowList parse(String text) {
        List<AddressRange> ranges = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (String raw : text.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) continue;
            try {
                if (entry.contains("/")) ranges.add(AddressRange.parse(entry));
                else if (entry.startsWith("[")) endpoints.add(bracketed(entry));
                else if (entry.indexOf(':') != entry.lastIndexOf(':')) ranges.add(AddressRange.parse(entry));
                else if (entry.contains(":")) endpoints.add(hostPort(entry, entry.lastIndexOf(':')));
                else endpoints.add(new Endpoint(entry.toLowerCase(Locale.ROOT), 0));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        EgressPolicy.ALLOW_VARIABLE + ": cannot read \"" + entry + "\" (a CIDR or host:port)", e);
            }
        }
        return new AllowList(List.copyOf(ranges), List.copyOf(endpoints));
    }

    private static Endpoint bracketed(String entry) {
        int close = entry.indexOf(']');
        if (close < 0) throw new IllegalArgumentException("no ]");
        String host = entry.substring(1, close);
        InetAddress.ofLiteral(host);
        if (close == entry.length() - 1) return new Endpoint(host, 0);
        if (entry.charAt(close + 1) != ':') throw new IllegalArgumentException("expected :port after ]");
        return hostPort(entry, close + 1);
    }

    private static Endpoint hostPort(String entry, int colon) {
        String host = entry.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(entry.substring(colon + 1).trim());
        if (port < 1 || port > 65535 || host.isBlank()) throw new IllegalArgumentException("bad host or port");
        return new Endpoint(host.toLowerCase(Locale.ROOT), port);
    }

    boolean allows(InetAddress address, int port) {
        for (AddressRange range : ranges) if (range.contains(address)) return true;
        String name = new InetSocketAddress(address, port).getHostString().toLowerCase(Locale.ROOT);
        for (Endpoint e : endpoints) {
            if (e.port() != 0 && e.port() != port) continue;
            if (e.host().equals(name) || resolvesTo(e.host(), address)) return true;
        }
        return false;
    }

    /**
     * Whether a {@code host:port} entry names exactly this port and a host that is (or resolves to) this address:
     * the only entries that open the suite's own services (a CIDR or a bare host does not).
     */
    boolean allowsExactly(InetAddress address, int port) {
        String name = new InetSocketAddress(address, port).getHostString().toLowerCase(Locale.ROOT);
        for (Endpoint e : endpoints) {
            if (e.port() != port) continue;
            if (e.host().equals(name) || resolvesTo(e.host(), address)) return true;
        }
        return false;
    }

    /** Whether a URL's host and port are listed (the config-time check, which does not resolve names). */
    boolean allowsLiterally(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        for (Endpoint e : endpoints)
            if ((e.port() == 0 || e.port() == port) && e.host().equals(h)) return true;
        return false;
    }

    /** The same, but only by a {@code host:port} entry naming exactly this port. */
    boolean allowsLiterallyExactly(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        for (Endpoint e : endpoints) if (e.port() == port && e.host().equals(h)) return true;
        return false;
    }

    private static boolean resolvesTo(String host, InetAddress address) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) if (a.equals(address)) return true;
        } catch (UnknownHostException e) {
            // a listed name that does not resolve allows nothing
        }
        return false;
    }
}
