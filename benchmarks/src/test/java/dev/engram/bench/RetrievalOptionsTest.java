package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.bench.RetrievalOptions.Mode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalOptionsTest {

    private static RetrievalOptions parse(String... args) throws BenchmarkOptions.HelpRequested {
        return RetrievalOptions.parse(args, Map.of("ENGRAM_REPO", "/repo"));
    }

    @Test
    void defaultsAskEveryModeOfEveryConversationWithDataBesideTheRepository() throws Exception {
        RetrievalOptions options = parse();

        assertThat(options.modes()).containsExactly(Mode.HYBRID, Mode.DENSE, Mode.LEXICAL);
        assertThat(options.conversations()).isZero();
        assertThat(options.data()).isEqualTo(Path.of("/shared/eval-data"));
        assertThat(options.runId()).startsWith("retrieval-");
    }

    @Test
    void modesAreParsedInOrderWithoutRepeats() throws Exception {
        RetrievalOptions options = parse("--modes", "lexical, Dense,lexical", "--conversations", "1");

        assertThat(options.modes()).containsExactly(Mode.LEXICAL, Mode.DENSE);
        assertThat(options.conversations()).isEqualTo(1);
        assertThat(Mode.DENSE.wire()).isEqualTo("dense");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> parse("--modes", "sparse"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sparse");
        assertThatThrownBy(() -> parse("--modes", ","))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--modes");
        assertThatThrownBy(() -> parse("--run-id", "a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--run-id");
        assertThatThrownBy(() -> parse("--run-id", "x".repeat(90)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 100");
        assertThatThrownBy(() -> parse("--conversations")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("--help")).isInstanceOf(BenchmarkOptions.HelpRequested.class);
    }
}
