package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** With a whitespace token counter, so the sizes are easy to check by hand. */
class ApproximateChunkerTest {

    private static final ToIntFunction<String> WORDS = CorpusGenerator::wordCount;

    private final ApproximateChunker chunker = new ApproximateChunker(60, 10, WORDS);

    @Test
    void aTextThatFitsIsOneChunk() {
        assertThat(chunker.chunk("  One short note. Another sentence.  "))
                .containsExactly("One short note. Another sentence.");
        assertThat(chunker.chunk(" ")).isEmpty();
    }

    @Test
    void aLongDocumentIsCutIntoChunksThatFitWithTheirHeadingPath() {
        String document = CorpusGenerator.longDocument(new Random(3));

        List<String> chunks = chunker.chunk(document);

        int words = CorpusGenerator.wordCount(document);
        assertThat(chunks.size()).isGreaterThan(words / 60);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(WORDS.applyAsInt(chunk)).isLessThanOrEqualTo(60);
            assertThat(chunk).startsWith("# ");
        });
        assertThat(chunks.get(1)).contains("\n## ");
    }

    @Test
    void consecutiveChunksOfASectionShareTrailingSentences() {
        StringBuilder section = new StringBuilder("# Title\n## Part\n");
        for (int i = 0; i < 40; i++) {
            section.append("Sentence number ").append(i).append(" is here. ");
        }

        List<String> chunks = chunker.chunk(section.toString());

        assertThat(chunks).hasSizeGreaterThan(2);
        String prefix = "# Title\n## Part\n";
        assertThat(chunks.get(1)).startsWith(prefix);
        String first = chunks.get(0);
        String lastOfFirst = first.substring(first.lastIndexOf("Sentence number"));
        String body = chunks.get(1).substring(prefix.length());
        String overlap = body.substring(0, body.indexOf(lastOfFirst) + lastOfFirst.length());
        assertThat(first).endsWith(" " + overlap);
        assertThat(WORDS.applyAsInt(overlap)).isBetween(1, 10);
    }

    @Test
    void aSentenceLongerThanAChunkIsCutIntoWordWindows() {
        String longSentence = "# T\n" + "word ".repeat(200).strip() + ".";

        List<String> chunks = chunker.chunk(longSentence);

        assertThat(chunks)
                .hasSizeGreaterThan(3)
                .allSatisfy(c -> assertThat(WORDS.applyAsInt(c)).isLessThanOrEqualTo(60));
    }
}
