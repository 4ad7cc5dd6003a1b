package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Evidence references in the shapes LoCoMo and its job files use, made up. */
class EvidenceIdsTest {

    @Test
    void aJobFileCustomIdBecomesItsDialogueId() {
        assertThat(EvidenceIds.normalise("conv-9_D3-14")).containsExactly("D3:14");
    }

    @Test
    void aPlainDialogueIdIsKept() {
        assertThat(EvidenceIds.normalise("D1:3")).containsExactly("D1:3");
    }

    @Test
    void severalIdsInOneStringAreSplit() {
        assertThat(EvidenceIds.normalise("D8:6; D9:17")).containsExactly("D8:6", "D9:17");
        assertThat(EvidenceIds.normalise("D9:1 D4:4 D4:6")).containsExactly("D9:1", "D4:4", "D4:6");
        assertThat(EvidenceIds.normalise("D2:1,D2:2")).containsExactly("D2:1", "D2:2");
    }

    @Test
    void leadingZerosAndAStrayColonAreDropped() {
        assertThat(EvidenceIds.normalise("D30:05")).containsExactly("D30:5");
        assertThat(EvidenceIds.normalise("D:11:26")).containsExactly("D11:26");
    }

    @Test
    void aReferenceWithoutSessionAndTurnNamesNothing() {
        assertThat(EvidenceIds.normalise("D")).isEmpty();
        assertThat(EvidenceIds.normalise("")).isEmpty();
        assertThat(EvidenceIds.normalise("session 3")).isEmpty();
    }
}
