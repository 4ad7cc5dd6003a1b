package dev.engram.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecialAddressesTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, loopback",
        "::1, loopback",
        "10.255.0.1, private",
        "172.20.1.1, private",
        "192.168.77.1, private",
        "100.127.255.254, carrier-grade NAT",
        "169.254.169.254, link-local",
        "0.0.0.0, unspecified",
        "::, unspecified",
        "fe80::1, link-local",
        "fd12:3456::1, unique local",
        "fec0::1, site-local",
        "ff05::2, multicast",
        "239.1.1.1, multicast",
        "255.255.255.255, broadcast",
        "192.0.2.10, documentation",
        "2001:db8::1, documentation",
        "::ffff:10.0.0.1, private",
        "::10.0.0.1, IPv4-compatible",
        "64:ff9b::a9fe:a9fe, NAT64 form of a link-local",
        "2002:c0a8:0101::1, 6to4 form of a private",
        "2001:0:4136:e378::1, Teredo"
    })
    void nonPublicAddressesAreNamed(String address, String reason) {
        assertThat(SpecialAddresses.forbiddenReason(literal(address)))
                .hasValueSatisfying(r -> assertThat(r).contains(reason));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "93.184.216.34",
                "100.63.255.255",
                "100.128.0.1",
                "172.15.255.255",
                "172.32.0.1",
                "2606:4700:4700::1111",
                "::ffff:8.8.8.8",
                "64:ff9b::808:808"
            })
    void publicAddressesAreAllowed(String address) {
        assertThat(SpecialAddresses.forbiddenReason(literal(address))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.200.3.4, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.4.0/22, 192.168.7.255, true",
        "192.168.4.0/22, 192.168.8.0, false",
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.1, 127.0.0.2, false",
        "fd00::/8, fd00:ec2::254, true",
        "fd00::/8, fe80::1, false",
        "10.0.0.0/8, ::ffff:10.1.1.1, true",
        "0.0.0.0/0, 203.0.113.9, true",
        "::/0, 10.0.0.1, false"
    })
    void cidrsMatchTheirNetworks(String cidr, String address, boolean contained) {
        assertThat(Cidr.parse(cidr).contains(literal(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "example.com/8", "300.1.1.1", "10.0.0.0/x", "fe80::/129"})
    void malformedNetworksAreRejected(String cidr) {
        assertThatThrownBy(() -> Cidr.parse(cidr)).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress literal(String address) {
        return Cidr.parseLiteral(address).orElseThrow();
    }
}
