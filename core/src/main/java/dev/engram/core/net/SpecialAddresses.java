package dev.engram.core.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Recognises addresses a server-side request must never reach unless explicitly allowed (memory-writer fetching a
 * URL, the router forwarding to a provider): anything that is not a globally routable unicast address. Covers loopback, private, link-local (with the cloud metadata service at 169.254.169.254), carrier-grade
 * NAT, unspecified, multicast, documentation, benchmarking and reserved ranges, and the IPv6 forms that embed an IPv4
 * address (IPv4-mapped, IPv4-compatible, NAT64, 6to4), which are judged by the IPv4 address they carry.
 */
public final class SpecialAddresses {

    private record Range(Cidr network, String description) {}

    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0/8", "an unspecified ('this network') address"),
            range("10.0.0.0/8", "a private address"),
            range("100.64.0.0/10", "a carrier-grade NAT address"),
            range("127.0.0.0/8", "a loopback address"),
            range("169.254.0.0/16", "a link-local address (the range of the cloud metadata service)"),
            range("172.16.0.0/12", "a private address"),
            range("192.0.0.0/24", "an IETF protocol address"),
            range("192.0.2.0/24", "a documentation address"),
            range("192.88.99.0/24", "a 6to4 relay address"),
            range("192.168.0.0/16", "a private address"),
            range("198.18.0.0/15", "a benchmarking address"),
            range("198.51.100.0/24", "a documentation address"),
            range("203.0.113.0/24", "a documentation address"),
            range("224.0.0.0/4", "a multicast address"),
            range("240.0.0.0/4", "a reserved or broadcast address"));

    private static final List<Range> IPV6 = List.of(
            range("::/128", "an unspecified address"),
            range("::1/128", "a loopback address"),
            range("64:ff9b:1::/48", "a local-use NAT64 address"),
            range("100::/64", "a discard-only address"),
            range("2001::/32", "a Teredo tunnel address"),
            range("2001:db8::/32", "a documentation address"),
            range("fc00::/7", "a unique local (private) address"),
            range("fe80::/10", "a link-local address"),
            range("fec0::/10", "a site-local (private) address"),
            range("ff00::/8", "a multicast address"));

    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private SpecialAddresses() {}

    /**
     * Why the address is not public, as a phrase ("a loopback address"); empty if it is a public unicast address.
     */
    public static Optional<String> forbiddenReason(InetAddress address) {
        InetAddress candidate = Cidr.unmapped(address);
        if (candidate instanceof Inet4Address) {
            return firstMatch(IPV4, candidate);
        }
        Optional<String> direct = firstMatch(IPV6, candidate);
        if (direct.isPresent()) {
            return direct;
        }
        byte[] b = candidate.getAddress();
        if (IPV4_COMPATIBLE.contains(candidate)) {
            return Optional.of("an IPv4-compatible IPv6 address (deprecated)");
        }
        if (NAT64.contains(candidate)) {
            return embedded(b, 12).map(reason -> "a NAT64 form of " + reason);
        }
        if (SIX_TO_FOUR.contains(candidate)) {
            return embedded(b, 2).map(reason -> "a 6to4 form of " + reason);
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] ipv6, int offset) {
        try {
            InetAddress v4 = InetAddress.getByAddress(
                    new byte[] {ipv6[offset], ipv6[offset + 1], ipv6[offset + 2], ipv6[offset + 3]});
            return firstMatch(IPV4, v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always a valid address
        }
    }

    private static Optional<String> firstMatch(List<Range> ranges, InetAddress address) {
        for (Range range : ranges) {
            if (range.network().contains(address)) {
                return Optional.of(range.description());
            }
        }
        return Optional.empty();
    }

    private static Range range(String cidr, String description) {
        return new Range(Cidr.parse(cidr), description);
    }
}
