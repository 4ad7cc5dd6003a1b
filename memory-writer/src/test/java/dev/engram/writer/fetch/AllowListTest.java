package dev.engram.writer.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fetch allow-list: host names exactly or by subdomain wildcard, addresses and networks as CIDRs. */
class AllowListTest {

    @ParameterizedTest
    @CsvSource({
        "wiki.corp.example, wiki.corp.example, true",
        "wiki.corp.example, WIKI.Corp.Example., true",
        "wiki.corp.example, evil-wiki.corp.example, false",
        "*.corp.example, docs.corp.example, true",
        "*.corp.example, a.b.corp.example, true",
        "*.corp.example, corp.example, false",
        "*.corp.example, notcorp.example, false"
    })
    void allowListHostsMatchExactlyOrBySubdomainWildcard(String entry, String host, boolean allowed) {
        assertThat(AllowList.of(entry).allowsHost(host)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "10.1.2.3", "::1", "fd00::/8"})
    void allowListEntriesThatAreAddressesBecomeNetworks(String entry) {
        AllowList list = AllowList.of(entry);

        assertThat(list.networks()).hasSize(1);
        assertThat(list.hosts()).isEmpty();
    }
}
