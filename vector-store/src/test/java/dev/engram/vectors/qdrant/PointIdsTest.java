package dev.engram.vectors.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PointIdsTest {

    @Test
    void nameBasedUuidsFollowRfc9562Version5() {
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        assertThat(PointIds.nameBased(dns, "www.example.com"))
                .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }

    @Test
    void aPointAlwaysGetsTheSameUuid() {
        UUID id = PointIds.of("org_default", "chunk_1");

        assertThat(PointIds.of("org_default", "chunk_1")).isEqualTo(id);
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void theOrganisationIsPartOfTheIdentity() {
        assertThat(PointIds.of("org_a", "p1")).isNotEqualTo(PointIds.of("org_b", "p1"));
        assertThat(PointIds.of("ab", "c")).isNotEqualTo(PointIds.of("a", "bc"));
    }
}
