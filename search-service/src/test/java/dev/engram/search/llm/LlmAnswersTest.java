package dev.engram.search.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.memory.extract.llm.LenientJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the LLM's answers: messy output is used where it can be, and refused where it cannot. */
class LlmAnswersTest {

    private static JsonNode json(String answer) {
        return LenientJson.read(answer).orElseThrow();
    }

    @Test
    void theRerankOrderIsCompletedWithTheLeftOutCandidatesInTheirOrder() throws Exception {
        assertThat(Reranker.parse(json("{\"order\": [3, 1]}"), 4)).containsExactly(2, 0, 1, 3);
    }

    @Test
    void unknownRepeatedAndFractionalRerankIdsAreIgnoredAndStringIdsRead() throws Exception {
        assertThat(Reranker.parse(json("```json\n{\"order\": [9, \"2\", 2, 0, 1.5, \"[1]\",]}\n```"), 3))
                .containsExactly(1, 0, 2);
    }

    @Test
    void aRerankAnswerWithoutAUsableIdIsRefused() {
        assertThatThrownBy(() -> Reranker.parse(json("{\"order\": [7, \"x\"]}"), 3))
                .isInstanceOf(LlmCallException.class)
                .hasMessageContaining("no usable order");
        assertThatThrownBy(() -> Reranker.parse(json("{\"ranking\": [1]}"), 3)).isInstanceOf(LlmCallException.class);
    }

    @Test
    void theRerankPromptNumbersTheCandidatesAndCutsLongTexts() {
        String prompt = Reranker.prompt("q?", List.of("one\nline", "x".repeat(Reranker.MAX_TEXT + 50)));
        assertThat(prompt).contains("Query: q?").contains("[1] one line").contains("[2] " + "x".repeat(500) + "…");
        assertThat(prompt).doesNotContain("x".repeat(501));
    }

    @Test
    void theRewrittenQueryIsReadAndABlankOneRefused() throws Exception {
        assertThat(QueryRewriter.parse(json("Sure! {\"query\": \"  golden retriever name  \"}")))
                .isEqualTo("golden retriever name");
        assertThatThrownBy(() -> QueryRewriter.parse(json("{\"query\": \" \"}")))
                .isInstanceOf(LlmCallException.class);
        assertThatThrownBy(() -> QueryRewriter.parse(json("{\"q\": \"x\"}"))).isInstanceOf(LlmCallException.class);
    }

    @Test
    void aggregatesNeedTextAndTwoKnownSourcesAndAreCapped() throws Exception {
        List<Aggregator.Aggregate> aggregates = Aggregator.parse(
                json("{\"memories\": ["
                        + "{\"memory\": \"A and B\", \"sources\": [1, 2]},"
                        + "{\"memory\": \"only one\", \"sources\": [1, 1, 9]},"
                        + "{\"memory\": \"\", \"sources\": [1, 2]},"
                        + "{\"memory\": \"B and C\", \"sources\": [\"2\", 3]},"
                        + "{\"memory\": \"A and C\", \"sources\": [1, 3]},"
                        + "{\"memory\": \"too many\", \"sources\": [1, 3]}]}"),
                3);
        assertThat(aggregates)
                .containsExactly(
                        new Aggregator.Aggregate("A and B", List.of(0, 1)),
                        new Aggregator.Aggregate("B and C", List.of(1, 2)),
                        new Aggregator.Aggregate("A and C", List.of(0, 2)));
    }

    @Test
    void anAggregateAnswerWithoutAListIsRefusedAndAnEmptyListIsNothing() throws Exception {
        assertThatThrownBy(() -> Aggregator.parse(json("{\"memory\": \"x\"}"), 2))
                .isInstanceOf(LlmCallException.class);
        assertThat(Aggregator.parse(json("{\"memories\": []}"), 2)).isEmpty();
    }
}
