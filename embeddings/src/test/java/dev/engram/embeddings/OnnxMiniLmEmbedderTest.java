package dev.engram.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The real all-MiniLM-L6-v2 model, both variants, loaded once for the class. */
class OnnxMiniLmEmbedderTest {

    private static OnnxMiniLmEmbedder full;
    private static OnnxMiniLmEmbedder quantized;

    @BeforeAll
    static void loadModels() {
        full = OnnxMiniLmEmbedder.create(MiniLmVariant.FULL);
        quantized = OnnxMiniLmEmbedder.create(MiniLmVariant.QUANTIZED);
    }

    @AfterAll
    static void closeModels() {
        full.close();
        quantized.close();
    }

    private static OnnxMiniLmEmbedder embedder(MiniLmVariant variant) {
        return variant == MiniLmVariant.FULL ? full : quantized;
    }

    @ParameterizedTest
    @EnumSource(MiniLmVariant.class)
    void sentencesWithTheSameMeaningAreCloserThanUnrelatedOnes(MiniLmVariant variant) {
        List<float[]> v =
                embedder(variant).embed(List.of("I live in Paris", "My home is in France", "The stock market fell"));

        double related = Vectors.dot(v.get(0), v.get(1));
        double unrelated = Vectors.dot(v.get(0), v.get(2));
        assertThat(related).isGreaterThan(unrelated + 0.2);
    }

    @ParameterizedTest
    @EnumSource(MiniLmVariant.class)
    void everyVectorHas384UnitLengthComponents(MiniLmVariant variant) {
        List<float[]> vectors =
                embedder(variant).embed(List.of("short", "", "A much longer sentence about ".repeat(40)));

        assertThat(vectors).hasSize(3).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(Math.sqrt(Vectors.dot(v, v))).isCloseTo(1.0, within(1e-5));
        });
        assertThat(embedder(variant).dimension()).isEqualTo(384);
    }

    @Test
    void aBatchGivesTheSameVectorsAsOneTextAtATimeInInputOrder() {
        List<String> texts = mixedLengthTexts();

        List<float[]> batched = full.embed(texts);

        assertThat(batched).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] single = full.embed(List.of(texts.get(i))).getFirst();
            assertThat(Vectors.dot(batched.get(i), single)).as("text %d", i).isCloseTo(1.0, within(1e-5));
        }
    }

    /**
     * The int8 model quantises activations with one scale per model run, so a text's neighbours in a batch nudge its
     * vector: sentences stay within a cosine of 0.98 of the text embedded alone (0.988 was the lowest measured); an
     * empty text, all markers, moves most (0.969).
     */
    @Test
    void quantizedBatchesStayCloseToSingleTexts() {
        List<String> texts =
                mixedLengthTexts().stream().filter(text -> !text.isEmpty()).toList();

        List<float[]> batched = quantized.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            float[] single = quantized.embed(List.of(texts.get(i))).getFirst();
            assertThat(Vectors.dot(batched.get(i), single)).as("text %d", i).isGreaterThan(0.98);
        }
    }

    @Test
    void theTwoVariantsAgree() {
        List<String> texts = mixedLengthTexts();

        List<float[]> a = full.embed(texts);
        List<float[]> b = quantized.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(Vectors.dot(a.get(i), b.get(i))).as("text %d", i).isGreaterThan(0.95);
        }
    }

    @Test
    void anEmptyListGivesAnEmptyList() {
        assertThat(full.embed(List.of())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|0",
                "I live in Paris|4",
                "Hello, world!|4",
                "tokenization|2",
                "unbelievably|5",
                "Engram embeds text.|7",
                "e-mail: bob@example.com|9"
            })
    void countsWordPieceTokensWithoutTheSequenceMarkers(String text, int tokens) {
        assertThat(full.countTokens(text)).isEqualTo(tokens);
        assertThat(quantized.countTokens(text)).isEqualTo(tokens);
    }

    @Test
    void theModelReadsExactlyMaxInputTokensOfWhatCountTokensCounts() {
        int limit = full.maxInputTokens();
        assertThat(limit).isEqualTo(254);
        String atLimit = "apple ".repeat(limit - 1) + "zebra";
        String pastLimit = atLimit + " banana cherry grape";
        String lastTokenChanged = "apple ".repeat(limit - 1) + "orange";
        assertThat(full.countTokens(atLimit)).isEqualTo(limit);
        assertThat(full.countTokens(pastLimit)).isEqualTo(limit + 3);

        List<float[]> v = full.embed(List.of(atLimit, pastLimit, lastTokenChanged));

        assertThat(Vectors.dot(v.get(0), v.get(1)))
                .as("tokens past the limit are ignored")
                .isCloseTo(1.0, within(1e-5));
        assertThat(Vectors.dot(v.get(0), v.get(2)))
                .as("the last token within the limit is read")
                .isLessThan(0.9999);
    }

    @Test
    void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
        List<String> texts = mixedLengthTexts();
        List<float[]> expected = full.embed(texts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> full.embed(texts)));
            }
            for (Future<List<float[]>> result : results) {
                List<float[]> actual = result.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(Vectors.dot(actual.get(i), expected.get(i))).isCloseTo(1.0, within(1e-5));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneCallSpreadOverSeveralSessionsReturnsTheVectorsOfOneSessionInInputOrder() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add(i + ": " + mixedLengthTexts().get(i % mixedLengthTexts().size()));
        }
        OnnxMiniLmEmbedder.Options small = OnnxMiniLmEmbedder.Options.defaults(MiniLmVariant.FULL)
                .withBatchLimits(3, OnnxMiniLmEmbedder.DEFAULT_MAX_BATCH_TOKENS);
        try (OnnxMiniLmEmbedder one = OnnxMiniLmEmbedder.create(small.withThreads(1));
                OnnxMiniLmEmbedder three = OnnxMiniLmEmbedder.create(small.withThreads(3))) {
            List<float[]> expected = one.embed(texts);
            List<float[]> actual = three.embed(texts);

            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(Vectors.dot(actual.get(i), expected.get(i)))
                        .as("text %d", i)
                        .isCloseTo(1.0, within(1e-5));
            }
            assertThat(three.toString()).contains("threads=3");
        }
    }

    @Test
    void theModelsCpuTimeCountsEveryThreadThatRanIt() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add(i + ": " + mixedLengthTexts().get(i % mixedLengthTexts().size()));
        }
        OnnxMiniLmEmbedder.Options small = OnnxMiniLmEmbedder.Options.defaults(MiniLmVariant.FULL)
                .withBatchLimits(3, OnnxMiniLmEmbedder.DEFAULT_MAX_BATCH_TOKENS);
        try (OnnxMiniLmEmbedder one = OnnxMiniLmEmbedder.create(small.withThreads(1));
                OnnxMiniLmEmbedder three = OnnxMiniLmEmbedder.create(small.withThreads(3))) {
            assertThat(one.modelCpuTime()).isZero();
            one.embed(texts); // warm: the measured calls below are alike
            three.embed(texts);
            Duration oneBefore = one.modelCpuTime();
            Duration threeBefore = three.modelCpuTime();

            one.embed(texts);
            three.embed(texts);
            long byOne = one.modelCpuTime().minus(oneBefore).toNanos();
            long byThree = three.modelCpuTime().minus(threeBefore).toNanos();

            assertThat(byOne).isPositive();
            // The same work spread over three threads: counting the calling thread alone would see about a third.
            assertThat((double) byThree / byOne).isBetween(0.6, 2.5);
        }
    }

    @Test
    void bgeSmallRanksTheRelevantPassageFirstAndItsQueriesCarryTheInstruction() {
        try (OnnxMiniLmEmbedder bge =
                OnnxMiniLmEmbedder.create(OnnxMiniLmEmbedder.Options.defaults(MiniLmVariant.BGE_SMALL_QUANTIZED)
                        .withThreads(1))) {
            List<float[]> passages = bge.embed(List.of(
                    "Caroline went to the LGBTQ support group on Sunday and found it moving.",
                    "The quarterly revenue grew by twelve percent.",
                    "Melanie painted a sunset with her kids last weekend."));
            float[] query = bge.embedQuery("What did Melanie paint?");

            assertThat(bge.modelId()).isEqualTo("bge-small-en-v1.5-q");
            assertThat(query).hasSize(384);
            assertThat(Vectors.dot(query, query)).isCloseTo(1.0, within(1e-4));
            assertThat(Vectors.dot(query, passages.get(2)))
                    .isGreaterThan(Vectors.dot(query, passages.get(0)))
                    .isGreaterThan(Vectors.dot(query, passages.get(1)));
            assertThat(Vectors.dot(
                            query, bge.embed(List.of("What did Melanie paint?")).get(0)))
                    .as("the query instruction changes the vector")
                    .isLessThan(0.999);
        }
    }

    @Test
    void e5SmallPrefixesQueriesAndPassagesAndLeavesRoomForThePrefix() {
        try (OnnxMiniLmEmbedder e5 =
                OnnxMiniLmEmbedder.create(OnnxMiniLmEmbedder.Options.defaults(MiniLmVariant.E5_SMALL_QUANTIZED)
                        .withThreads(1))) {
            List<float[]> passages = e5.embed(List.of(
                    "The quarterly revenue grew by twelve percent.",
                    "Melanie painted a sunset with her kids last weekend."));
            float[] query = e5.embedQuery("What did Melanie paint?");

            assertThat(e5.modelId()).isEqualTo("e5-small-v2-q");
            assertThat(Vectors.dot(query, passages.get(1))).isGreaterThan(Vectors.dot(query, passages.get(0)));
            assertThat(e5.maxInputTokens())
                    .as("'passage: ' takes tokens of the sequence")
                    .isEqualTo(254 - e5.countTokens("passage: "))
                    .isLessThan(254);
            float[] asPassage = e5.embed(List.of("What did Melanie paint?")).get(0);
            assertThat(Vectors.dot(query, asPassage)).isLessThan(0.999);

            // e5's cosines crowd into 0.72..1; its similarities are laid onto MiniLM's 0..1 scale
            assertThat(e5.similarity(0.72)).isZero();
            assertThat(e5.similarity(0.5)).isZero();
            assertThat(e5.similarity(0.86)).isCloseTo(0.5, within(1e-9));
            assertThat(e5.similarity(1.0)).isEqualTo(1.0);
            assertThat(quantized.similarity(0.42))
                    .as("MiniLM's similarity is its cosine")
                    .isEqualTo(0.42);
            assertThat(quantized.similarity(-0.3)).isZero();
        }
    }

    @Test
    void modelIdsNameTheVariant() {
        assertThat(full.modelId()).isEqualTo("all-minilm-l6-v2");
        assertThat(quantized.modelId()).isEqualTo("all-minilm-l6-v2-q");
    }

    @Test
    void aClosedEmbedderRefusesToEmbed() {
        OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.create(
                OnnxMiniLmEmbedder.Options.defaults(MiniLmVariant.QUANTIZED).withThreads(1));
        embedder.close();
        embedder.close();

        assertThatThrownBy(() -> embedder.embed(List.of("x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> embedder.countTokens("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nullTextsAreRejected() {
        List<String> withNull = new ArrayList<>();
        withNull.add("fine");
        withNull.add(null);

        assertThatThrownBy(() -> full.embed(withNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("texts[1]");
    }

    @Test
    void optionsRejectImpossibleValues() {
        OnnxMiniLmEmbedder.Options defaults = OnnxMiniLmEmbedder.Options.defaults(MiniLmVariant.FULL);
        assertThatThrownBy(() -> defaults.withThreads(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withBatchLimits(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxSequenceLength(513)).isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.effectiveThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    /** Lengths from a few tokens to past the truncation limit, shuffled so batching has to restore the order. */
    private static List<String> mixedLengthTexts() {
        return List.of(
                "The committee approved the budget after a long debate about the new train station.",
                "Cats sleep.",
                "Quarterly revenue grew by twelve percent. ".repeat(8),
                "",
                "Our neighbour repaired a broken bicycle on a Tuesday morning, while nobody was watching.",
                "Lighthouse keepers kept logbooks of every passing ship and storm. ".repeat(30),
                "Paris");
    }
}
