package dev.engram.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBlockTest {

    private static final TokenCounter TOKENS = TokenCounter.o200k();

    @Test
    void takesEachMemoryOnceAndSkipsWhatTheSystemPromptAlreadySays() {
        MemoryBlock block = MemoryBlock.of(
                List.of("Lives in Porto", "lives  in PORTO", "Speaks Portuguese", "Is called Rui", " "),
                "The user is called rui.",
                500,
                TOKENS);

        assertThat(block.memories()).isEqualTo(2);
        assertThat(block.text())
                .startsWith(MemoryBlock.OPEN + "\n")
                .endsWith("\n- Lives in Porto\n- Speaks Portuguese\n" + MemoryBlock.CLOSE);
        assertThat(block.tokens()).isEqualTo(TOKENS.count(block.text()));
    }

    @Test
    void staysWithinTheTokenBudgetKeepingShorterLowerRankedMemoriesThatFit() {
        String longMemory = "The user once described, at great length, " + "a very long story ".repeat(60);
        int overhead = TOKENS.count(MemoryBlock.OPEN + "\n" + MemoryBlock.HEADER + "\n" + MemoryBlock.CLOSE);

        MemoryBlock block = MemoryBlock.of(List.of(longMemory, "Likes jazz"), "", overhead + 20, TOKENS);

        assertThat(block.memories()).isEqualTo(1);
        assertThat(block.text()).contains("- Likes jazz").doesNotContain("long story");
        assertThat(block.tokens()).isLessThanOrEqualTo(overhead + 20);
    }

    @Test
    void noMemoriesMakeNoBlock() {
        assertThat(MemoryBlock.of(List.of(), "", 500, TOKENS)).isEqualTo(MemoryBlock.EMPTY);
    }
}
