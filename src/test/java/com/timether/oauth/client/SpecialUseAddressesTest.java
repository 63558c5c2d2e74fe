package com.timether.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.oauth.client.SpecialUseAddresses.SpecialUse;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecialUseAddressesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0.0.0            | this-network",
                "0.1.2.3            | this-network",
                "10.0.0.5           | private",
                "100.64.0.1         | shared (CGNAT)",
                "100.127.255.255    | shared (CGNAT)",
                "127.0.0.1          | loopback",
                "127.255.0.9        | loopback",
                "169.254.169.254    | link-local",
                "172.16.0.1         | private",
                "172.31.255.255     | private",
                "192.0.0.8          | IETF protocol assignment",
                "192.0.2.1          | documentation",
                "192.88.99.1        | 6to4 relay anycast",
                "192.168.1.1        | private",
                "198.18.0.1         | benchmarking",
                "198.19.255.255     | benchmarking",
                "198.51.100.7       | documentation",
                "203.0.113.9        | documentation",
                "224.0.0.1          | multicast",
                "239.255.255.250    | multicast",
                "240.0.0.1          | reserved",
                "255.255.255.255    | reserved",
                "::1                | loopback",
                "::                 | unspecified",
                "::ffff:10.0.0.5    | private",
                "::ffff:127.0.0.1   | loopback",
                "::10.0.0.5         | IPv4-compatible",
                "::8.8.8.8          | IPv4-compatible",
                "64:ff9b::7f00:1    | loopback (embedded in IPv6)",
                "64:ff9b::a9fe:a9fe | link-local (embedded in IPv6)",
                "64:ff9b:1::1       | local-use NAT64",
                "100::1             | discard-only",
                "2001::1            | IETF protocol assignment",
                "2001:db8::1        | documentation",
                "2002:c0a8:101::1   | private (embedded in IPv6)",
                "2002:7f00:1::1     | loopback (embedded in IPv6)",
                "3fff::1            | documentation",
                "fc00::1            | unique-local (private)",
                "fd12:3456::1       | unique-local (private)",
                "fe80::1            | link-local",
                "fec0::1            | site-local",
                "ff02::1            | multicast",
                "4000::1            | non-global IPv6"
            })
    void find_specialUseAddress_namesItsKind(String literal, String kind) throws Exception {
        Optional<SpecialUse> found = SpecialUseAddresses.find(InetAddress.getByName(literal));

        assertThat(found).map(SpecialUse::kind).contains(kind);
    }

    @ParameterizedTest
    @CsvSource({
        "8.8.8.8",
        "1.1.1.1",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.0.1.255",
        "198.17.255.255",
        "223.255.255.255",
        "2606:4700::1111",
        "2a00:1450::1",
        "64:ff9b::808:808",
        "2002:808:808::1"
    })
    void find_publicAddress_isEmpty(String literal) throws Exception {
        assertThat(SpecialUseAddresses.find(InetAddress.getByName(literal))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "::1, true", "::ffff:127.0.0.1, true", "64:ff9b::7f00:1, false", "10.0.0.1, false"})
    void find_onlyRealLoopback_isMarkedLoopback(String literal, boolean loopback) throws Exception {
        assertThat(SpecialUseAddresses.find(InetAddress.getByName(literal)))
                .map(SpecialUse::loopback)
                .contains(loopback);
    }
}
