package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.bench.CorpusGenerator.Document;
import dev.engram.bench.CorpusGenerator.Kind;
import dev.engram.core.documents.ContainerTags;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorpusGeneratorTest {

    private static final List<Document> CORPUS = new CorpusGenerator(42).generate(2_000, 20, "bench-test", 7);

    @Test
    void theSameSeedGivesTheSameCorpus() {
        assertThat(new CorpusGenerator(42).generate(2_000, 20, "bench-test", 7)).isEqualTo(CORPUS);
    }

    @Test
    void anotherSeedGivesAnotherCorpus() {
        List<Document> other = new CorpusGenerator(43).generate(2_000, 20, "bench-test", 7);

        long same = 0;
        for (int i = 0; i < other.size(); i++) {
            same += other.get(i).content().equals(CORPUS.get(i).content()) ? 1 : 0;
        }
        assertThat(same).isLessThan(10);
    }

    @Test
    void aSmallerCorpusIsAPrefixOfALargerOne() {
        List<Document> small = new CorpusGenerator(42).generate(500, 5, "bench-test", 7);

        assertThat(small.subList(0, 500)).isEqualTo(CORPUS.subList(0, 500));
        assertThat(small.subList(500, 505))
                .extracting(Document::content)
                .isEqualTo(CORPUS.subList(2_000, 2_005).stream()
                        .map(Document::content)
                        .toList());
    }

    @Test
    void hasTheRequestedNumbersOfEachKindShortsFirst() {
        assertThat(CORPUS).hasSize(2_020);
        assertThat(CORPUS.subList(0, 2_000))
                .allSatisfy(d -> assertThat(d.kind()).isEqualTo(Kind.SHORT));
        assertThat(CORPUS.subList(2_000, 2_020))
                .allSatisfy(d -> assertThat(d.kind()).isEqualTo(Kind.LONG));
    }

    @Test
    void shortDocumentsHaveOneToThreeSentences() {
        Set<Integer> sentenceCounts = new HashSet<>();
        for (Document document : CORPUS.subList(0, 2_000)) {
            int sentences = document.content().split("(?<=[.?!])\\s+").length;
            assertThat(sentences).as(document.content()).isBetween(1, 3);
            sentenceCounts.add(sentences);
        }
        assertThat(sentenceCounts).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void longDocumentsAreMarkdownReportsOfAFewThousandWords() {
        for (Document document : CORPUS.subList(2_000, 2_020)) {
            int words = CorpusGenerator.wordCount(document.content().replaceAll("[#-]", " "));
            assertThat(words).isBetween(CorpusGenerator.LONG_MIN_WORDS, CorpusGenerator.LONG_MAX_WORDS + 200);
            assertThat(document.content()).startsWith("# ").contains("\n## ").contains("\n- ");
        }
    }

    @Test
    void everyContentIsDifferentAndTheVocabularyIsVaried() {
        assertThat(CORPUS).extracting(Document::content).doesNotHaveDuplicates();
        Set<String> words = new HashSet<>();
        CORPUS.forEach(d -> words.addAll(List.of(d.content().toLowerCase().split("\\W+"))));
        assertThat(words).hasSizeGreaterThan(400);
    }

    @Test
    void idsAndTagsAreUniqueValidAndSpreadOverTheTags() {
        assertThat(CORPUS).extracting(Document::customId).doesNotHaveDuplicates();
        assertThat(CORPUS).allSatisfy(d -> {
            assertThat(ContainerTags.problem(d.customId())).isEmpty();
            assertThat(ContainerTags.problem(d.containerTag())).isEmpty();
        });
        assertThat(CORPUS.getFirst().customId()).isEqualTo("bench-test-s00000");
        assertThat(CORPUS.get(2_000).customId()).isEqualTo("bench-test-l00000");
        assertThat(CORPUS)
                .extracting(Document::containerTag)
                .containsOnly(
                        "bench-test-t00",
                        "bench-test-t01",
                        "bench-test-t02",
                        "bench-test-t03",
                        "bench-test-t04",
                        "bench-test-t05",
                        "bench-test-t06");
    }

    @Test
    void rejectsNegativeCounts() {
        assertThatThrownBy(() -> new CorpusGenerator(1).generate(-1, 0, "x", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
