package dev.eventpipe.model.egress;

import java.net.InetAddress;

/** A CIDR block ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a block of one. */
record AddressRange(byte[] network, int prefix) {

    /** Parses a CIDR or an address literal; never resolves a name. */
    static AddressRange parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) address = address.substring(1, address.length() - 1);
        byte[] bytes = InetAddress.ofLiteral(address).getAddress();
        int prefix = slash < 0
                ? bytes.length * 8
                : Integer.parseInt(s.substring(slash + 1).trim());
        if (prefix < 0 || prefix > bytes.length * 8)
            throw new IllegalArgumentException("prefix out of range in " + text);
        return new AddressRange(bytes, prefix);
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }
}
