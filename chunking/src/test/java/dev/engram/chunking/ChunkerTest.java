package dev.engram.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkerTest {

    /** One token per whitespace-separated word. */
    static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    /** A counter that is not additive (one token per started 4 characters), like sub-word tokenizers at the edges. */
    static final TokenCounter CHARS = text -> (text.length() + 3) / 4;

    private static final String[] VOCABULARY = {
        "memory",
        "engine",
        "vector",
        "index",
        "the",
        "a",
        "tenant",
        "moved",
        "to",
        "Berlin",
        "and",
        "likes",
        "tea",
        "quietly",
        "documents",
        "are",
        "chunked",
        "before",
        "embedding",
        "with",
        "overlap",
        "search",
        "returns",
        "results",
        "fast",
        "Kafka",
        "events",
        "carry",
        "container",
        "tags",
        "x"
    };

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\n\t  \n", "   \r\n  "})
    void emptyOrWhitespaceInputHasNoChunks(String text) {
        assertThat(new Chunker(ChunkerConfig.defaults(), WORDS).chunk(text)).isEmpty();
    }

    @Test
    void everyChunkCarriesTheHeadingPathOfItsSection() {
        String text = """
                # Guide

                Welcome to the guide.

                ## Install

                Run the installer and wait.

                ### Linux

                Use the package manager.

                ## Use

                Open the app.
                """;

        List<Chunk> chunks = new Chunker(new ChunkerConfig(64, 8, 0), WORDS).chunk(text);

        assertThat(chunks)
                .extracting(Chunk::text)
                .containsExactly(
                        "# Guide\n\nWelcome to the guide.",
                        "# Guide > ## Install\n\nRun the installer and wait.",
                        "# Guide > ## Install > ### Linux\n\nUse the package manager.",
                        "# Guide > ## Use\n\nOpen the app.");
        assertThat(chunks.get(2).headings()).containsExactly("# Guide", "## Install", "### Linux");
        assertThat(chunks).extracting(Chunk::index).containsExactly(0, 1, 2, 3);
        Chunk install = chunks.get(1);
        assertThat(text.substring(install.startOffset(), install.endOffset())).isEqualTo("Run the installer and wait.");
    }

    @Test
    void aHeadingWithNothingUnderItIsStillAChunk() {
        assertThat(new Chunker(ChunkerConfig.defaults(), WORDS).chunk("# Meeting notes\n"))
                .extracting(Chunk::text)
                .containsExactly("# Meeting notes");
    }

    @Test
    void aFencedCodeBlockIsKeptWholeWithItsBlankLinesAndHashLines() {
        String code = """
                ```python
                # not a heading
                def f():

                    return 1
                ```""";
        String text = "# Code\n\nIntro sentence here.\n\n" + code + "\n\nAfter the code.\n";

        List<Chunk> chunks = new Chunker(new ChunkerConfig(40, 4, 0), WORDS).chunk(text);

        assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.text()).contains(code));
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.headings()).containsExactly("# Code"));
    }

    @Test
    void aCodeBlockLargerThanAChunkIsSplitBetweenLinesAndEachPieceIsFenced() {
        String lines = IntStream.range(0, 60)
                .mapToObj(i -> "    call(step" + i + ", option);")
                .collect(Collectors.joining("\n"));
        String text = "Setup:\n\n```java\n" + lines + "\n```\n";

        List<Chunk> chunks = new Chunker(new ChunkerConfig(32, 4, 0), WORDS).chunk(text);

        List<Chunk> pieces =
                chunks.stream().filter(c -> c.text().contains("call(")).toList();
        assertThat(pieces).hasSizeGreaterThan(3);
        assertThat(pieces).allSatisfy(piece -> {
            assertThat(piece.text()).contains("```java\n").endsWith("\n```");
            assertThat(WORDS.count(piece.text())).isLessThanOrEqualTo(32);
        });
        String rejoined = pieces.stream()
                .flatMap(piece -> piece.text().lines())
                .filter(line -> line.contains("call("))
                .collect(Collectors.joining("\n"));
        assertThat(rejoined).isEqualTo(lines);
    }

    @Test
    void longParagraphsAreSplitBetweenSentencesAndNeverInsideAWord() {
        String paragraph = IntStream.range(0, 40)
                .mapToObj(i -> "Sentence number " + i + " explains one more detail of the system.")
                .collect(Collectors.joining(" "));

        List<Chunk> chunks = new Chunker(new ChunkerConfig(48, 0, 10), WORDS).chunk(paragraph);

        assertThat(chunks).hasSizeGreaterThan(5);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.text()).startsWith("Sentence number ").endsWith("of the system.");
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(48);
        });
    }

    @Test
    void aSentenceLongerThanAChunkIsSplitBetweenWords() {
        String sentence = IntStream.range(0, 100).mapToObj(i -> "word" + i).collect(Collectors.joining(" ")) + ".";

        List<Chunk> chunks = new Chunker(new ChunkerConfig(16, 0, 0), WORDS).chunk(sentence);

        Set<String> words = Set.of(sentence.split(" "));
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(16);
            assertThat(words).containsAll(List.of(chunk.text().split(" ")));
        });
    }

    @Test
    void consecutiveChunksOfASectionOverlap() {
        String paragraph = IntStream.range(0, 30)
                .mapToObj(i -> "Fact " + i + " is about the tenant.")
                .collect(Collectors.joining(" "));
        String text = "# Facts\n\n" + paragraph;

        List<Chunk> chunks = new Chunker(new ChunkerConfig(40, 12, 10), WORDS).chunk(text);

        assertThat(chunks).hasSizeGreaterThan(3);
        for (int i = 1; i < chunks.size(); i++) {
            String previousBody = text.substring(
                    chunks.get(i - 1).startOffset(), chunks.get(i - 1).endOffset());
            String current = chunks.get(i).text().substring("# Facts\n\n".length());
            String overlap = current.substring(
                    0,
                    current.indexOf(text.substring(
                            chunks.get(i).startOffset(), chunks.get(i).endOffset())));
            assertThat(overlap)
                    .as("chunk %d starts with the end of chunk %d", i, i - 1)
                    .isNotBlank();
            assertThat(previousBody).endsWith(overlap.strip());
            assertThat(WORDS.count(overlap)).isLessThanOrEqualTo(12);
            assertThat(overlap.strip()).startsWith("Fact "); // whole sentences
        }
    }

    @Test
    void theFirstChunkOfASectionHasNoOverlapFromTheSectionBefore() {
        String text = "# A\n\nAlpha sentence one. Alpha sentence two.\n\n# B\n\nBeta sentence one.";

        List<Chunk> chunks = new Chunker(new ChunkerConfig(40, 10, 0), WORDS).chunk(text);

        assertThat(chunks)
                .extracting(Chunk::text)
                .containsExactly("# A\n\nAlpha sentence one. Alpha sentence two.", "# B\n\nBeta sentence one.");
    }

    @Test
    void shortParagraphsAreMergedAndATinyRemainderJoinsThePreviousChunk() {
        String text = "One two three.\n\nFour five six.\n\nSeven eight nine ten eleven twelve.\n\nEnd.";

        List<Chunk> chunks = new Chunker(new ChunkerConfig(64, 0, 12), WORDS).chunk(text);

        assertThat(chunks)
                .singleElement()
                .satisfies(chunk -> assertThat(chunk.text()).isEqualTo(text));
    }

    @Test
    void chunkingIsDeterministic() {
        String text = randomDocument(new Random(7), 3000);
        Chunker chunker = new Chunker(ChunkerConfig.defaults(), WORDS);

        assertThat(new Chunker(ChunkerConfig.defaults(), WORDS).chunk(text)).isEqualTo(chunker.chunk(text));
    }

    @Test
    void identicalChunksGetDistinctOccurrencesAndIds() {
        String text = "# Notes\n\nSame disclaimer text.\n\n# Notes\n\nSame disclaimer text.";

        List<Chunk> chunks = new Chunker(ChunkerConfig.defaults(), WORDS).chunk(text);

        assertThat(chunks).hasSize(2);
        assertThat(chunks)
                .extracting(Chunk::contentHash)
                .containsOnly(chunks.get(0).contentHash());
        assertThat(chunks).extracting(Chunk::occurrence).containsExactly(0, 1);
        assertThat(ChunkIds.of("org", "doc", chunks.get(0))).isNotEqualTo(ChunkIds.of("org", "doc", chunks.get(1)));
    }

    @Test
    void idsOfUnchangedChunksSurviveAnEditInTheMiddle() {
        List<String> paragraphs = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < 12; i++) { // 3 sentences of 8 to 12 words: each paragraph is its own chunk
            paragraphs.add(sentences(random, 3, 3, 8, 12) + " Paragraph " + i + " ends here.");
        }
        String before = "# Report\n\n" + String.join("\n\n", paragraphs);
        paragraphs.set(
                6,
                "This paragraph was rewritten completely with new words, so nothing in it stays the same. It keeps"
                        + " about the length of its neighbours, which makes it a chunk of its own as before.");
        String after = "# Report\n\n" + String.join("\n\n", paragraphs);
        Chunker chunker = new Chunker(new ChunkerConfig(128, 16, 24), WORDS);

        List<String> oldIds = ids(chunker.chunk(before));
        List<String> newIds = ids(chunker.chunk(after));

        Set<String> kept = new HashSet<>(oldIds);
        kept.retainAll(newIds);
        assertThat(oldIds).hasSize(12); // one paragraph per chunk
        assertThat(oldIds.subList(0, 6)).isEqualTo(newIds.subList(0, 6));
        assertThat(oldIds.subList(8, 12)).isEqualTo(newIds.subList(8, 12));
        assertThat(kept).hasSize(10); // only the edited chunk and the one whose overlap came from it changed
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void idsMostlySurviveAnEditInALongRunOfShortLines(int seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add((i % 2 == 0 ? "alice: " : "bob: ") + sentences(random, 1, 1));
        }
        String before = String.join("\n", lines);
        lines.set(150, "bob: something else entirely was said here instead.");
        String after = String.join("\n", lines);
        Chunker chunker = new Chunker(new ChunkerConfig(96, 16, 32), WORDS);

        List<String> oldIds = ids(chunker.chunk(before));
        Set<String> newIds = new HashSet<>(ids(chunker.chunk(after)));

        long kept = oldIds.stream().filter(newIds::contains).count();
        assertThat(oldIds).hasSizeGreaterThan(40);
        assertThat(kept).as("ids kept of %d", oldIds.size()).isGreaterThanOrEqualTo(oldIds.size() - 6);
    }

    @Test
    void everyChunkFitsAndTheTextIsCoveredForManyGeneratedDocuments() {
        Random random = new Random(2024);
        for (int round = 0; round < 150; round++) {
            String text = randomDocument(random, 200 + random.nextInt(2500));
            int max = 24 + random.nextInt(240);
            ChunkerConfig config = new ChunkerConfig(max, random.nextInt(max / 2 + 1), random.nextInt(max + 1));
            TokenCounter counter = random.nextBoolean() ? WORDS : CHARS;

            List<Chunk> chunks = new Chunker(config, counter).chunk(text);

            String context = "round " + round + " with " + config;
            for (Chunk chunk : chunks) {
                assertThat(counter.count(chunk.text())).as(context).isLessThanOrEqualTo(max);
                assertThat(chunk.tokenCount()).as(context).isEqualTo(counter.count(chunk.text()));
                assertThat(chunk.contentHash()).isEqualTo(ChunkIds.contentHash(chunk.text()));
            }
            for (int i = 1; i < chunks.size(); i++) {
                assertThat(chunks.get(i).startOffset())
                        .as(context)
                        .isGreaterThanOrEqualTo(chunks.get(i - 1).endOffset());
            }
            Set<String> chunkWords = chunks.stream()
                    .flatMap(chunk -> List.of(chunk.text().split("\\s+")).stream())
                    .collect(Collectors.toSet());
            String joined = chunks.stream().map(Chunk::text).collect(Collectors.joining("\n"));
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || line.startsWith("```")) {
                    continue;
                }
                for (String word : line.split("\\s+")) {
                    if (word.isEmpty()) {
                        continue;
                    }
                    boolean whole = chunkWords.contains(word);
                    assertThat(whole || (word.length() > 12 && joined.contains(word.substring(0, 4))))
                            .as("%s: word '%s' is in a chunk", context, word)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void evenTinyChunkSizesAreNeverExceeded() {
        Random random = new Random(99);
        for (int round = 0; round < 60; round++) {
            String text = randomDocument(random, 300 + random.nextInt(600));
            int max = 8 + random.nextInt(16);
            ChunkerConfig config = new ChunkerConfig(max, random.nextInt(max / 2 + 1), random.nextInt(max + 1));
            TokenCounter counter = random.nextBoolean() ? WORDS : CHARS;

            List<Chunk> chunks = new Chunker(config, counter).chunk(text);

            assertThat(chunks).isNotEmpty();
            assertThat(chunks)
                    .as("round %d with %s", round, config)
                    .allSatisfy(chunk -> assertThat(counter.count(chunk.text())).isLessThanOrEqualTo(max));
        }
    }

    private static List<String> ids(List<Chunk> chunks) {
        return chunks.stream()
                .map(chunk -> ChunkIds.of("org-1", "doc-1", chunk))
                .toList();
    }

    private static String sentences(Random random, int min, int max) {
        return sentences(random, min, max, 4, 17);
    }

    private static String sentences(Random random, int min, int max, int minWords, int maxWords) {
        int count = min + random.nextInt(max - min + 1);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < count; s++) {
            int words = minWords + random.nextInt(maxWords - minWords + 1);
            for (int w = 0; w < words; w++) {
                String word = VOCABULARY[random.nextInt(VOCABULARY.length)];
                text.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
            }
            text.append(". ");
        }
        return text.toString().strip();
    }

    /** Markdown with headings, paragraphs, long paragraphs, lists, code blocks, tables and very long words. */
    static String randomDocument(Random random, int approximateWords) {
        StringBuilder text = new StringBuilder();
        int words = 0;
        while (words < approximateWords) {
            int kind = random.nextInt(10);
            String block;
            switch (kind) {
                case 0 ->
                    block = "#".repeat(1 + random.nextInt(4)) + " "
                            + sentences(random, 1, 1).replace(".", "");
                case 1 ->
                    block = "```\n"
                            + IntStream.range(0, 1 + random.nextInt(40))
                                    .mapToObj(i -> "code line " + i + (random.nextInt(5) == 0 ? "\n" : ""))
                                    .collect(Collectors.joining("\n"))
                            + "\n```";
                case 2 ->
                    block = IntStream.range(0, 2 + random.nextInt(8))
                            .mapToObj(i -> "- " + sentences(random, 1, 2))
                            .collect(Collectors.joining("\n"));
                case 3 ->
                    block = IntStream.range(0, 2 + random.nextInt(10))
                            .mapToObj(i -> "| cell " + i + " | " + sentences(random, 1, 1) + " |")
                            .collect(Collectors.joining("\n"));
                case 4 -> block = sentences(random, 10, 40); // longer than most chunks
                case 5 -> block = "Token " + "abcdefghij".repeat(2 + random.nextInt(60)) + " ends.";
                default -> block = sentences(random, 1, 5);
            }
            text.append(block).append("\n\n");
            words += block.split("\\s+").length;
        }
        return text.toString();
    }
}
