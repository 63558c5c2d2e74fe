package com.timether.oauth.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The special-use IP address blocks (RFC 6890 and the IANA special-purpose registries) that a client ID metadata
 * document must never be fetched from (draft-ietf-oauth-client-id-metadata-document-02 section 8.6).
 *
 * <p>IPv6 is checked by allow-list: only global unicast (2000::/3) passes, minus its special blocks, so a range the
 * list forgets is refused rather than fetched. Addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are
 * judged by the embedded address.
 */
final class SpecialUseAddresses {

    /** A special-use block an address fell into; {@code loopback} tells the one kind tests may allow. */
    record SpecialUse(String kind, String block, boolean loopback) {}

    private record Block(byte[] prefix, int bits, String kind, String text) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int wholeBytes = bits / 8;
            if (!Arrays.equals(address, 0, wholeBytes, prefix, 0, wholeBytes)) {
                return false;
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[wholeBytes] & mask) == (prefix[wholeBytes] & mask);
        }
    }

    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0/8", "this-network"),
            block("10.0.0.0/8", "private"),
            block("100.64.0.0/10", "shared (CGNAT)"),
            block("127.0.0.0/8", "loopback"),
            block("169.254.0.0/16", "link-local"),
            block("172.16.0.0/12", "private"),
            block("192.0.0.0/24", "IETF protocol assignment"),
            block("192.0.2.0/24", "documentation"),
            block("192.31.196.0/24", "AS112"),
            block("192.52.193.0/24", "AMT"),
            block("192.88.99.0/24", "6to4 relay anycast"),
            block("192.168.0.0/16", "private"),
            block("192.175.48.0/24", "AS112"),
            block("198.18.0.0/15", "benchmarking"),
            block("198.51.100.0/24", "documentation"),
            block("203.0.113.0/24", "documentation"),
            block("224.0.0.0/4", "multicast"),
            // Includes the limited broadcast address 255.255.255.255.
            block("240.0.0.0/4", "reserved"));

    private static final Block GLOBAL_UNICAST_V6 = block("2000::/3", "global unicast");
    private static final Block NAT64 = block("64:ff9b::/96", "NAT64");
    private static final Block SIX_TO_FOUR = block("2002::/16", "6to4");

    private static final List<Block> IPV6 = List.of(
            block("::1/128", "loopback"),
            block("::/128", "unspecified"),
            // Deprecated IPv4-compatible addresses (RFC 4291 section 2.5.5.1): never routable, so all refused.
            block("::/96", "IPv4-compatible"),
            block("64:ff9b:1::/48", "local-use NAT64"),
            block("100::/64", "discard-only"),
            // Includes Teredo 2001::/32, benchmarking 2001:2::/48 and ORCHID.
            block("2001::/23", "IETF protocol assignment"),
            block("2001:db8::/32", "documentation"),
            block("3fff::/20", "documentation"),
            block("5f00::/16", "segment routing"),
            block("fc00::/7", "unique-local (private)"),
            block("fe80::/10", "link-local"),
            block("fec0::/10", "site-local"),
            block("ff00::/8", "multicast"));

    private SpecialUseAddresses() {}

    /** The special-use block {@code address} belongs to, or empty when it is a public unicast address. */
    static Optional<SpecialUse> find(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return find(IPV4, bytes);
        }
        Optional<SpecialUse> listed = find(IPV6, bytes);
        if (listed.isPresent()) {
            return listed;
        }
        Optional<byte[]> embedded = embeddedIpv4(bytes);
        if (embedded.isPresent()) {
            return find(IPV4, embedded.get())
                    .map(inner -> new SpecialUse(inner.kind() + " (embedded in IPv6)", inner.block(), false));
        }
        if (!GLOBAL_UNICAST_V6.contains(bytes)) {
            return Optional.of(new SpecialUse("non-global IPv6", "outside 2000::/3", false));
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static Optional<byte[]> embeddedIpv4(byte[] v6) {
        boolean mapped =
                Arrays.equals(v6, 0, 10, new byte[10], 0, 10) && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
        if (mapped || NAT64.contains(v6)) {
            return Optional.of(Arrays.copyOfRange(v6, 12, 16));
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return Optional.of(Arrays.copyOfRange(v6, 2, 6));
        }
        return Optional.empty();
    }

    private static Optional<SpecialUse> find(List<Block> blocks, byte[] bytes) {
        return blocks.stream()
                .filter(b -> b.contains(bytes))
                .findFirst()
                .map(b -> new SpecialUse(b.kind(), b.text(), "loopback".equals(b.kind())));
    }

    private static Block block(String cidr, String kind) {
        int slash = cidr.indexOf('/');
        try {
            // Literals only: getByName does no DNS lookup for them.
            byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)), kind, cidr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad block " + cidr, e);
        }
    }
}
