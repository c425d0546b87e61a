package dev.eventpipe.model.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The suite's own addresses: this machine's interfaces and the services named in {@code internalHosts} (names,
 * addresses or CIDRs). Names are resolved again at most every {@link #REFRESH}, so a service that moves (a new
 * container, a rescheduled pod) is still recognised.
 */
final class OwnAddresses {
    static final Duration REFRESH = Duration.ofSeconds(30);

    private final Set<String> names;
    private final List<AddressRange> ranges = new ArrayList<>();
    private volatile Map<InetAddress, String> resolved = Map.of();
    private volatile long resolvedAt = Long.MIN_VALUE;

    OwnAddresses(Collection<String> internalHosts) {
        Set<String> hostNames = new java.util.LinkedHashSet<>();
        for (String raw : internalHosts) {
            String h = raw.trim().toLowerCase(Locale.ROOT);
            if (h.isEmpty()) continue;
            String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            if (h.contains("/") || EgressPolicy.literal(bare) != null) ranges.add(AddressRange.parse(bare));
            else hostNames.add(h);
        }
        this.names = Set.copyOf(hostNames);
    }

    Set<String> names() {
        return names;
    }

    Optional<String> describe(InetAddress address) {
        for (AddressRange r : ranges)
            if (r.contains(address)) return Optional.of("an address of this suite's services");
        String owner = current().get(address);
        return owner == null ? Optional.empty() : Optional.of(owner);
    }

    private Map<InetAddress, String> current() {
        long now = System.nanoTime();
        if (resolvedAt != Long.MIN_VALUE && now - resolvedAt < REFRESH.toNanos()) return resolved;
        synchronized (this) {
            if (resolvedAt != Long.MIN_VALUE && System.nanoTime() - resolvedAt < REFRESH.toNanos()) return resolved;
            Map<InetAddress, String> next = new HashMap<>();
            interfaces().forEach(a -> next.put(a, "an address of this machine"));
            for (String name : names) {
                try {
                    for (InetAddress a : InetAddress.getAllByName(name))
                        next.putIfAbsent(a, "the address of this suite's service " + name);
                } catch (UnknownHostException e) {
                    // a service that is not deployed here has no address to protect
                }
            }
            resolved = Map.copyOf(next);
            resolvedAt = System.nanoTime();
            return resolved;
        }
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
