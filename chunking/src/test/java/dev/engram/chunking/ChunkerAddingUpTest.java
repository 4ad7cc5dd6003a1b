package dev.engram.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.embeddings.MiniLmVariant;
import dev.engram.embeddings.OnnxMiniLmEmbedder;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A counter that adds up over whitespace lets the chunker sum the counts of the pieces it joins instead of counting
 * every joined text again: the chunks must be exactly those it makes when it counts everything, and far fewer texts
 * are counted.
 */
class ChunkerAddingUpTest {

    private static OnnxMiniLmEmbedder model;

    @BeforeAll
    static void load() {
        model = OnnxMiniLmEmbedder.create(MiniLmVariant.QUANTIZED);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void summedCountsGiveTheSameChunksWithTheModelsTokenizer() {
        // that the model's counts add up over whitespace is tested with the tokenizer, in the embeddings module
        assertThat(model.countsAddUp()).isTrue();
        Random random = new Random(11);
        for (int round = 0; round < 40; round++) {
            String text = ChunkerTest.randomDocument(random, 200 + random.nextInt(3000)) + piece(random);
            ChunkerConfig config = round % 2 == 0
                    ? ChunkerConfig.defaults()
                    : new ChunkerConfig(48 + random.nextInt(200), random.nextInt(40), random.nextInt(48));
            AtomicLong recounted = new AtomicLong();
            AtomicLong summed = new AtomicLong();
            TokenCounter counting = t -> {
                recounted.incrementAndGet();
                return model.countTokens(t);
            };
            TokenCounter addingUp = TokenCounter.addingUp(t -> {
                summed.incrementAndGet();
                return model.countTokens(t);
            });

            List<Chunk> expected = new Chunker(config, counting).chunk(text);
            List<Chunk> actual = new Chunker(config, addingUp).chunk(text);

            assertThat(actual).as("round %d, %s", round, config).isEqualTo(expected);
            assertThat(summed.get()).as("texts counted, round %d", round).isLessThan(recounted.get());
        }
    }

    @Test
    void summedCountsGiveTheSameChunksWithAWordCounter() {
        Random random = new Random(5);
        for (int round = 0; round < 300; round++) {
            String text = ChunkerTest.randomDocument(random, 20 + random.nextInt(800));
            int max = 8 + random.nextInt(40);
            ChunkerConfig config = new ChunkerConfig(max, random.nextInt(max / 2 + 1), random.nextInt(max + 1));

            List<Chunk> expected = new Chunker(config, ChunkerTest.WORDS).chunk(text);
            List<Chunk> actual = new Chunker(config, TokenCounter.addingUp(ChunkerTest.WORDS)).chunk(text);

            assertThat(actual).as("round %d, %s", round, config).isEqualTo(expected);
        }
    }

    /** Text with punctuation, accents, digits, CJK and a long word, to try the tokenizer's edges. */
    private static String piece(Random random) {
        String[] words = {
            "Kafka",
            "naïve",
            "café",
            "résumé",
            "don't",
            "e-mail",
            "3.14",
            "(see",
            "above)",
            "東京",
            "über",
            "x",
            "supercalifragilisticexpialidocious",
            "ÅNGSTRÖM",
            "tea,",
            "well…",
            "#tag",
            "C++",
            "a/b",
            "“quoted”"
        };
        StringBuilder text = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
        }
        return text.toString();
    }
}
