package dev.engram.memory.extract.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LenientJsonTest {

    private static JsonNode read(String answer) {
        return LenientJson.read(answer).orElseThrow();
    }

    @Test
    void readsPlainJson() {
        assertThat(read("{\"memories\":[{\"memory\":\"a\"}]}").path("memories").size())
                .isEqualTo(1);
    }

    @Test
    void readsTheInsideOfACodeFence() {
        JsonNode node = read("```json\n{\"memories\":[{\"memory\":\"a\"}]}\n```");

        assertThat(node.path("memories").get(0).path("memory").asText()).isEqualTo("a");
    }

    @Test
    void readsAfterAnUnclosedCodeFence() {
        assertThat(read("```\n{\"memories\":[]}").has("memories")).isTrue();
    }

    @Test
    void skipsProseBeforeAndAfterTheValue() {
        JsonNode node = read("Here you go {as requested}: {\"memories\":[{\"memory\":\"a\"}]} Hope this helps!");

        assertThat(node.path("memories").size()).isEqualTo(1);
    }

    @Test
    void acceptsTrailingCommasAndComments() {
        JsonNode node = read("{\"memories\":[{\"memory\":\"a\",}, // the only one\n],}");

        assertThat(node.path("memories").size()).isEqualTo(1);
    }

    @Test
    void recoversTheCompleteElementsOfATruncatedArray() {
        JsonNode node = read("{\"memories\":[{\"memory\":\"a\",\"sources\":[\"t1\"]},{\"memory\":\"b\"},"
                + "{\"memory\":\"c is cut off mid-stri");

        assertThat(node.path("memories").findValuesAsText("memory")).containsExactly("a", "b");
    }

    @Test
    void aTruncationInsideAnElementsOwnArrayKeepsTheEarlierElements() {
        JsonNode node = read("{\"memories\":[{\"memory\":\"a\"},{\"memory\":\"b\",\"sources\":[\"t1\",");

        assertThat(node.path("memories").findValuesAsText("memory")).containsExactly("a");
    }

    @Test
    void bracesInsideStringsDoNotConfuseTheRepair() {
        JsonNode node = read("[{\"memory\":\"uses {curly} and [square] brackets\"},{\"memory\":\"cut");

        assertThat(node.get(0).path("memory").asText()).isEqualTo("uses {curly} and [square] brackets");
        assertThat(node.size()).isEqualTo(1);
    }

    @Test
    void findsNothingInProseOrInATruncationBeforeAnyCompleteElement() {
        assertThat(LenientJson.read("I could not find any memories.")).isEmpty();
        assertThat(LenientJson.read("{\"memories\":[{\"memory\":\"cut")).isEmpty();
        assertThat(LenientJson.read("")).isEmpty();
        assertThat(LenientJson.read(null)).isEmpty();
    }
}
