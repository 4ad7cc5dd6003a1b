package dev.engram.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void ordinaryTextAndPairedSurrogatesAreStorable() {
        assertThat(StorableText.problem("")).isEmpty();
        assertThat(StorableText.problem("plain, \u00e9t\u00e9, \n\t\u0007 and \ud83d\ude00"))
                .isEmpty();
    }

    @Test
    void theNulCharacterAnywhereIsNot() {
        assertThat(StorableText.problem("\u0000")).contains(StorableText.NUL);
        assertThat(StorableText.problem("a\u0000")).contains(StorableText.NUL);
        assertThat(StorableText.problem("\ud83d\ude00\u0000b")).contains(StorableText.NUL);
    }

    @Test
    void aSurrogateWithoutItsPairIsNot() {
        assertThat(StorableText.problem("\ud800")).contains(StorableText.UNPAIRED_SURROGATE);
        assertThat(StorableText.problem("x\udc00")).contains(StorableText.UNPAIRED_SURROGATE);
        assertThat(StorableText.problem("\ud800x")).contains(StorableText.UNPAIRED_SURROGATE);
        assertThat(StorableText.problem("\udc00\ud800")).contains(StorableText.UNPAIRED_SURROGATE);
        assertThat(StorableText.problem("\ud83d\ude00\ude00")).contains(StorableText.UNPAIRED_SURROGATE);
    }

    @Test
    void aRequestLineIsCheckedInItsPathAndEachQueryParameter() {
        assertThat(StorableText.inRequestLine("/v3/documents/abc", Map.of("containerTag", List.of("t", "\u00e9"))))
                .isEmpty();
        assertThat(StorableText.inRequestLine("/v3/documents/a\u0000b", Map.of()))
                .contains("path: " + StorableText.NUL);
        assertThat(StorableText.inRequestLine("/v3/documents/x", Map.of("containerTag", List.of("t", "\ud800"))))
                .contains("query parameter containerTag: " + StorableText.UNPAIRED_SURROGATE);
        assertThat(StorableText.inRequestLine("/v3/documents/x", Map.of("a\u0000", List.of("v"))))
                .contains("query: a parameter name " + StorableText.NUL);
    }

    @Test
    void storableTextDropsNulAndReplacesUnpairedSurrogatesKeepingPairs() {
        String clean = "caf\u00e9 \ud83d\ude00";
        assertThat(StorableText.storable(clean)).isSameAs(clean);
        assertThat(StorableText.storable(null)).isNull();
        assertThat(StorableText.storable("a\u0000b\u0000")).isEqualTo("ab");
        assertThat(StorableText.storable("x\ud83d")).isEqualTo("x\ufffd");
        assertThat(StorableText.storable("\ude00\ud83d\ude00\ud800y")).isEqualTo("\ufffd\ud83d\ude00\ufffdy");
        assertThat(StorableText.problem(StorableText.storable("\u0000\udc00\ud800")))
                .isEmpty();
    }

    @Test
    void problemInWalksMapsAndListsNamingThePath() {
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        metadata.put("n", 1);
        metadata.put("tags", List.of("ok", "b\u0000"));
        assertThat(StorableText.problemIn("metadata", metadata)).contains("metadata.tags[1]: " + StorableText.NUL);
        assertThat(StorableText.problemIn("metadata", Map.of("k\ud800", 1)))
                .contains("metadata: has a key that " + StorableText.UNPAIRED_SURROGATE);
        assertThat(StorableText.problemIn("content", "x\u0000")).contains("content: " + StorableText.NUL);
        assertThat(StorableText.problemIn("metadata", Map.of("k", List.of(1, true, "fine"))))
                .isEmpty();
        assertThat(StorableText.problemIn("none", null)).isEmpty();
    }
}
