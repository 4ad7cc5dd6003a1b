package dev.engram.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MiniLmVariantTest {

    @Test
    void parsesTheConfiguredNames() {
        assertThat(MiniLmVariant.parse("full")).isEqualTo(MiniLmVariant.FULL);
        assertThat(MiniLmVariant.parse(" Quantized ")).isEqualTo(MiniLmVariant.QUANTIZED);
        assertThat(MiniLmVariant.parse("q")).isEqualTo(MiniLmVariant.QUANTIZED);
        assertThat(MiniLmVariant.parse("BGE-small-q")).isEqualTo(MiniLmVariant.BGE_SMALL_QUANTIZED);
        assertThat(MiniLmVariant.BGE_SMALL_QUANTIZED.pooling()).isEqualTo(MiniLmVariant.Pooling.CLS);
        assertThat(MiniLmVariant.QUANTIZED.queryInstruction()).isEmpty();
        assertThat(MiniLmVariant.parse("e5")).isEqualTo(MiniLmVariant.E5_SMALL_QUANTIZED);
        assertThat(MiniLmVariant.E5_SMALL_QUANTIZED.passagePrefix()).isEqualTo("passage: ");
        assertThat(MiniLmVariant.QUANTIZED.cosineFloor()).isZero();
    }

    @Test
    void anUnknownNameIsRejectedWithTheAcceptedValues() {
        assertThatThrownBy(() -> MiniLmVariant.parse("fp16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'quantized', 'full', 'bge-small-q' or 'e5-small-q'");
        assertThatThrownBy(() -> MiniLmVariant.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
