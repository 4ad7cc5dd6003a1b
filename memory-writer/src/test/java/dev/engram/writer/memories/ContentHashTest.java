package dev.engram.writer.memories;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentHashTest {

    @Test
    void spellingsThatDifferOnlyInCaseSpacingOrFinalPunctuationCollide() {
        assertThat(ContentHash.of("Ana likes tea.")).isEqualTo(ContentHash.of("  ana   LIKES tea "));
        assertThat(ContentHash.of("Ana likes tea!")).isEqualTo(ContentHash.of("Ana likes tea"));
        assertThat(ContentHash.of("ﬁne")).isEqualTo(ContentHash.of("fine")); // NFKC folds the ligature
    }

    @Test
    void differentFactsDoNotCollide() {
        assertThat(ContentHash.of("Ana likes tea")).isNotEqualTo(ContentHash.of("Ana likes coffee"));
        assertThat(ContentHash.of("Ana likes tea")).hasSize(64);
    }
}
