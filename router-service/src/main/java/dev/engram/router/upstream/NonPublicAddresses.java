package dev.engram.router.upstream;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Recognises addresses the router must not forward to unless the host is explicitly allowed: loopback, private,
 * link-local (which holds the cloud metadata service, 169.254.169.254), carrier-grade NAT, unspecified, multicast and
 * reserved ranges, and IPv6 addresses that carry an IPv4 address (mapped, compatible, NAT64, 6to4), judged by it.
 *
 * <p>memory-writer has a fuller guard of its own for URL fetching ({@code dev.engram.writer.fetch}); it is private to
 * that module, so the router keeps this one.
 */
final class NonPublicAddresses {

    private record Range(byte[] prefix, int bits, String reason) {

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0", 8, "an unspecified address"),
            range("10.0.0.0", 8, "a private address"),
            range("100.64.0.0", 10, "a carrier-grade NAT address"),
            range("127.0.0.0", 8, "a loopback address"),
            range("169.254.0.0", 16, "a link-local address (the cloud metadata service's range)"),
            range("172.16.0.0", 12, "a private address"),
            range("192.0.0.0", 24, "an IETF protocol address"),
            range("192.168.0.0", 16, "a private address"),
            range("198.18.0.0", 15, "a benchmarking address"),
            range("224.0.0.0", 4, "a multicast address"),
            range("240.0.0.0", 4, "a reserved address"));

    private static final List<Range> IPV6 = List.of(
            range("::", 128, "an unspecified address"),
            range("::1", 128, "a loopback address"),
            range("fc00::", 7, "a unique local (private) address"),
            range("fe80::", 10, "a link-local address"),
            range("fec0::", 10, "a site-local (private) address"),
            range("ff00::", 8, "a multicast address"));

    /** ::ffff:0:0/96 by its bytes: Java turns an IPv4-mapped literal into an IPv4 address when it parses it. */
    private static final Range IPV4_MAPPED =
            new Range(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0}, 96, "");

    private static final Range IPV4_COMPATIBLE = range("::", 96, "");
    private static final Range NAT64 = range("64:ff9b::", 96, "");
    private static final Range SIX_TO_FOUR = range("2002::", 16, "");

    private NonPublicAddresses() {}

    /** Why the address is not public, as a phrase ("a loopback address"); empty for a public unicast address. */
    static Optional<String> reason(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return firstMatch(IPV4, bytes);
        }
        Optional<String> direct = firstMatch(IPV6, bytes);
        if (direct.isPresent() || !(address instanceof Inet6Address)) {
            return direct;
        }
        if (IPV4_MAPPED.contains(bytes) || IPV4_COMPATIBLE.contains(bytes) || NAT64.contains(bytes)) {
            return embedded(bytes, 12);
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return embedded(bytes, 2);
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] ipv6, int offset) {
        byte[] v4 = {ipv6[offset], ipv6[offset + 1], ipv6[offset + 2], ipv6[offset + 3]};
        return firstMatch(IPV4, v4).map(reason -> reason + " (inside an IPv6 address)");
    }

    private static Optional<String> firstMatch(List<Range> ranges, byte[] address) {
        return ranges.stream()
                .filter(range -> range.contains(address))
                .map(Range::reason)
                .findFirst();
    }

    private static Range range(String literal, int bits, String reason) {
        try {
            // An IP literal is parsed, never looked up.
            return new Range(InetAddress.getByName(literal).getAddress(), bits, reason);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IP literal: " + literal, e);
        }
    }
}
