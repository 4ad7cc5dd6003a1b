package dev.engram.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChunkIdsTest {

    private static final String HASH = ChunkIds.contentHash("some chunk text");

    @Test
    void anIdIsAStableUuidOfTheDocumentContentAndOccurrence() {
        String id = ChunkIds.of("org-1", "doc-1", HASH, 0);

        assertThat(ChunkIds.of("org-1", "doc-1", HASH, 0)).isEqualTo(id);
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(8);
        assertThat(uuid.variant()).isEqualTo(2);
    }

    @Test
    void everyPartOfTheNameChangesTheId() {
        Set<String> ids = Set.of(
                ChunkIds.of("org-1", "doc-1", HASH, 0),
                ChunkIds.of("org-2", "doc-1", HASH, 0),
                ChunkIds.of("org-1", "doc-2", HASH, 0),
                ChunkIds.of("org-1", "doc-1", ChunkIds.contentHash("other text"), 0),
                ChunkIds.of("org-1", "doc-1", HASH, 1));

        assertThat(ids).hasSize(5);
    }

    @Test
    void partsCannotBeShiftedIntoEachOther() {
        assertThat(ChunkIds.of("org-1", "doc", HASH, 0)).isNotEqualTo(ChunkIds.of("org-", "1doc", HASH, 0));
    }

    @Test
    void theContentHashIsSha256Hex() {
        assertThat(ChunkIds.contentHash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
