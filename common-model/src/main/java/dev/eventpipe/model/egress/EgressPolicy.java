package dev.eventpipe.model.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses a service may connect to on a tenant's behalf (a destination's URL; a transformation's fetch).
 *
 * <p>Refused unless allowed: unspecified ({@code 0.0.0.0/8}, {@code ::}), loopback, link-local (cloud metadata
 * {@code 169.254.169.254} among them), the other cloud metadata addresses ({@code fd00:ec2::254},
 * {@code 100.100.100.200}), multicast and broadcast, this machine's own addresses and the suite's own services;
 * private ranges (RFC 1918, ULA {@code fc00::/7}) only with {@code denyPrivate} ({@code EGRESS_DENY_PRIVATE=true}).
 * IPv4 addresses embedded in IPv6 (IPv4-compatible, NAT64) are judged as IPv4.
 *
 * <p>An entry of the allow-list ({@code EGRESS_ALLOW}) that covers an address overrides these refusals, with one
 * exception: <b>the suite's own services</b> (every port of the {@code internalHosts}; the {@code host:port} of each
 * of {@code serviceUrls}, the jobs database's among them, and that port on every address of this machine when the
 * service runs here) are opened only by a {@code host:port} entry naming exactly that host and port, an operator's
 * explicit decision. A CIDR ({@code 127.0.0.1/32}) or a bare host never opens them, so that an entry meant for a
 * webhook on this machine does not open the suite's database (on {@code 127.0.0.1:15432} under {@code ./run.sh})
 * to every editor.
 *
 * <p>The policy is meant to be asked about the <em>resolved</em> address at connect time ({@link EgressSocket}):
 * a check of the URL alone ({@link #refusalForUrl}) is only an early, friendly answer, never the guard.
 * Immutable and thread-safe; asking resolves the names of the allow-list and of the suite's services, which the
 * JVM's DNS cache answers after the first time.
 */
public final class EgressPolicy {
    public static final String ALLOW_VARIABLE = "EGRESS_ALLOW";
    public static final String DENY_PRIVATE_VARIABLE = "EGRESS_DENY_PRIVATE";

    private static final List<AddressRange> METADATA = ranges("169.254.169.254", "fd00:ec2::254", "100.100.100.200");
    private static final List<AddressRange> UNSPECIFIED = ranges("0.0.0.0/8", "::/128");
    private static final List<AddressRange> BROADCAST = ranges("255.255.255.255");
    private static final List<AddressRange> PRIVATE =
            ranges("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");
    private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");

    private final AllowList allow;
    private final boolean denyPrivate;
    private final OwnAddresses own;

    private EgressPolicy(AllowList allow, boolean denyPrivate, OwnAddresses own) {
        this.allow = allow;
        this.denyPrivate = denyPrivate;
        this.own = own;
    }

    /** The policy without service URLs: {@link #of(String, boolean, Collection, Collection)}. */
    public static EgressPolicy of(String allow, boolean denyPrivate, Collection<String> internalHosts) {
        return of(allow, denyPrivate, internalHosts, List.of());
    }

    /**
     * @param allow {@code EGRESS_ALLOW}: comma-separated CIDRs, addresses and {@code host:port} entries (may be empty)
     * @param denyPrivate {@code EGRESS_DENY_PRIVATE}: refuse RFC 1918 and ULA addresses too
     * @param internalHosts {@code EGRESS_INTERNAL_HOSTS}, the suite's own services: names, addresses or CIDRs
     *     (refused on every port) and {@code host:port} entries (that port)
     * @param serviceUrls the URLs of the suite's services this one talks to (its jobs database's
     *     {@code spring.datasource.url}, the transformer's, the config backend's): their {@code host:port} is refused
     *     like {@code internalHosts}, their host's other ports like this machine's addresses
     * @throws IllegalArgumentException when the allow-list or {@code internalHosts} cannot be read (a typo must not
     *     open or close egress silently)
     */
    public static EgressPolicy of(
            String allow, boolean denyPrivate, Collection<String> internalHosts, Collection<String> serviceUrls) {
        return new EgressPolicy(AllowList.parse(allow), denyPrivate, new OwnAddresses(internalHosts, serviceUrls));
    }

    /** Empty when this service may connect to {@code address:port}; else why not, naming {@code EGRESS_ALLOW}. */
    public Optional<String> refusal(InetAddress address, int port) {
        Optional<String> service = own.service(address, port);
        if (service.isPresent())
            return allow.allowsExactly(address, port)
                    ? Optional.empty()
                    : Optional.of(refusedService(show(address) + ":" + port, service.get()));
        if (allow.allows(address, port)) return Optional.empty();
        return kind(address).map(kind -> refused(address, port, kind));
    }

    /**
     * An early check of a URL a tenant configures, without resolving its host: a literal address, a name of this
     * machine ({@code localhost}, {@code *.localhost}), a cloud metadata name or a name of the suite's services.
     * Empty when nothing is obviously wrong; the connection is checked again at connect time whatever this says.
     */
    public Optional<String> refusalForUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a malformed URL is the schema's business
        }
        String host = uri.getHost();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (host == null || !(scheme.equals("http") || scheme.equals("https"))) return Optional.empty();
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return refusalForHost(host, port);
    }

    /**
     * The same early check for a host and port a tenant configures outside a URL (a warehouse's {@code host} and
     * {@code port}): a literal address, a name of this machine, a cloud metadata name or a name of the suite's
     * services. Empty when nothing is obviously wrong; the connection is checked again at connect time.
     */
    public Optional<String> refusalForHost(String host, int port) {
        String trimmed = host.trim();
        String bare =
                trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        if (bare.isEmpty()) return Optional.empty();
        if (allow.allowsLiterallyExactly(bare, port)) return Optional.empty();
        InetAddress literal = literal(bare);
        if (literal != null) return refusal(literal, port);
        String name = bare.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        boolean thisMachine = name.equals("localhost") || name.endsWith(".localhost");
        Optional<String> service = own.serviceName(name, port, thisMachine);
        if (service.isPresent()) return Optional.of(refusedService(bare + ":" + port, service.get()));
        if (allow.allowsLiterally(bare, port)) return Optional.empty();
        if (thisMachine) return Optional.of(refusedName(bare, port, "a name of this machine"));
        if (name.equals("metadata.google.internal") || name.equals("metadata"))
            return Optional.of(refusedName(bare, port, "a cloud metadata name"));
        return Optional.empty();
    }

    private Optional<String> kind(InetAddress address) {
        InetAddress a = embeddedIpv4(address);
        if (in(UNSPECIFIED, a) || a.isAnyLocalAddress()) return Optional.of("an unspecified address");
        if (a.isLoopbackAddress()) return Optional.of("a loopback address");
        if (in(METADATA, a)) return Optional.of("a cloud metadata address");
        if (a.isLinkLocalAddress()) return Optional.of("a link-local address");
        if (a.isMulticastAddress() || in(BROADCAST, a)) return Optional.of("a multicast or broadcast address");
        Optional<String> internal = own.weak(a);
        if (internal.isPresent()) return internal;
        if (denyPrivate && (in(PRIVATE, a) || a.isSiteLocalAddress()))
            return Optional.of("a private address, refused because " + DENY_PRIVATE_VARIABLE + "=true");
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::a.b.c.d}) one. */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address;
        byte[] b = address.getAddress();
        boolean compatible = true;
        for (int i = 0; i < 12; i++) compatible &= b[i] == 0;
        // ::1 and :: are IPv6's own loopback and unspecified addresses, judged as such
        if ((compatible && (b[12] | b[13] | b[14]) != 0) || NAT64.contains(address)) {
            try {
                return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address;
    }

    private static String refused(InetAddress address, int port, String kind) {
        String literal = text(address);
        String cidr = literal + (address instanceof Inet6Address ? "/128" : "/32");
        return "refused to connect to " + show(address) + ":" + port + ", " + kind + "; to allow it, add it to "
                + ALLOW_VARIABLE + " (e.g. " + ALLOW_VARIABLE + "=" + cidr + ")";
    }

    /**
     * The suite's own service: no example value is offered (the reason is shown to tenants, and opening it is the
     * operator's decision), only the rule.
     */
    private static String refusedService(String target, String kind) {
        return "refused to connect to " + target + ", " + kind + "; only an entry of " + ALLOW_VARIABLE
                + " naming exactly this host:port opens it, a CIDR range or a bare host does not";
    }

    private static String show(InetAddress address) {
        String literal = text(address);
        return address instanceof Inet6Address ? "[" + literal + "]" : literal;
    }

    /** An address as people write it: IPv6 with its longest run of zero groups as {@code ::} (RFC 5952). */
    static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address.getHostAddress();
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static String refusedName(String host, int port, String kind) {
        return "refused to send to " + host + ":" + port + ", " + kind + "; to allow it, add it to " + ALLOW_VARIABLE
                + " (e.g. " + ALLOW_VARIABLE + "=" + host + ":" + port + ")";
    }

    static @Nullable InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean in(List<AddressRange> ranges, InetAddress a) {
        for (AddressRange r : ranges) if (r.contains(a)) return true;
        return false;
    }

    private static List<AddressRange> ranges(String... cidrs) {
        return Set.of(cidrs).stream().map(AddressRange::parse).toList();
    }
}
