package dev.engram.memory.extract.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.KnownMemory;
import dev.engram.memory.extract.SourceTurn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractionPromptTest {

    private static final Instant DAY = Instant.parse("2024-03-01T10:00:00Z");

    @Test
    void labelsTurnsBySpeakerAndRoleAndDatesEachOne() {
        ExtractionPrompt prompt = ExtractionPrompt.of(
                new ExtractionRequest(
                        "tag",
                        null,
                        DAY,
                        List.of(
                                SourceTurn.turn("a", null, "user", Instant.parse("2024-02-28T09:00:00Z"), "hi"),
                                SourceTurn.turn("b", "Bot", "assistant", null, "hello"),
                                SourceTurn.document("c", "line one\nline two")),
                        List.of()),
                5);

        assertThat(prompt.user())
                .contains("Known memories:\n(none)")
                .contains("t1 [2024-02-28] user: hi")
                .contains("t2 [2024-03-01] Bot (assistant): hello")
                .contains("t3 [2024-03-01] document: line one\nline two")
                .doesNotContain("Entity context");
        assertThat(prompt.turnIds()).containsExactly(Map.entry("t1", "a"), Map.entry("t2", "b"), Map.entry("t3", "c"));
    }

    @Test
    void showsTheFirstKnownMemoriesOnOneLineEach() {
        ExtractionPrompt prompt = ExtractionPrompt.of(
                new ExtractionRequest(
                        "tag",
                        "about Ana",
                        DAY,
                        List.of(SourceTurn.document("c", "text")),
                        List.of(
                                new KnownMemory("x-1", "Ana\nlives in Lyon.", true, null),
                                new KnownMemory("x-2", "Ana ran a marathon.", false, DAY),
                                new KnownMemory("x-3", "Ana has a dog.", true, null))),
                2);

        assertThat(prompt.user())
                .contains("Entity context: about Ana")
                .contains("m1: Ana lives in Lyon. (static)")
                .contains("m2: Ana ran a marathon. (dynamic; updated 2024-03-01)")
                .doesNotContain("Ana has a dog");
        assertThat(prompt.knownIds()).containsOnlyKeys("m1", "m2").containsValues("x-1", "x-2");
    }
}
