package dev.engram.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CaseFoldingTest {

    @Test
    void foldedEqualityAgreesWithEqualsIgnoreCaseForEveryBmpCharacter() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (Character.isSurrogate(c)) {
                continue;
            }
            String text = String.valueOf(c);
            for (String other : List.of(
                    String.valueOf(Character.toUpperCase(c)),
                    String.valueOf(Character.toLowerCase(c)),
                    String.valueOf(Character.toTitleCase(c)),
                    CaseFolding.fold(text),
                    "i",
                    "s")) {
                assertThat(CaseFolding.fold(text).equals(CaseFolding.fold(other)))
                        .as("U+%04X vs %s", (int) c, other)
                        .isEqualTo(text.equalsIgnoreCase(other));
            }
        }
    }

    @Test
    void foldingHandlesTheCharactersWhereLowerCasingDiffers() {
        assertThat(CaseFolding.fold("İstanbul")).isEqualTo(CaseFolding.fold("istanbul"));
        assertThat("İstanbul".equalsIgnoreCase("istanbul")).isTrue();
        assertThat(CaseFolding.lower("İstanbul")).isEqualTo("İstanbul".toLowerCase(Locale.ROOT));
        assertThat(CaseFolding.fold("ſ")).isEqualTo(CaseFolding.fold("S"));
    }
}
