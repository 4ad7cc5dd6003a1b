package dev.engram.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shared English analysis of lexical search. */
class EnglishTermsTest {

    @Test
    void termsAreLowerCasedStemmedAndFreeOfStopWordsAndPunctuation() {
        assertThat(EnglishTerms.of("The RUNNING man's runs, and a run!")).containsExactly("run", "man", "run", "run");
        assertThat(EnglishTerms.of("to be or not to be")).isEmpty();
        assertThat(EnglishTerms.of("?! -- ...")).isEmpty();
    }

    @Test
    void queryTermsAreDistinctInOrderOfFirstOccurrenceAndBounded() {
        assertThat(EnglishTerms.ofQuery("giraffes run; a giraffe running")).containsExactly("giraff", "run");
        String many = IntStream.range(0, 1000).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        assertThat(EnglishTerms.ofQuery(many))
                .hasSize(EnglishTerms.MAX_QUERY_TERMS)
                .startsWith("w0", "w1");
    }

    @Test
    void queryTextIsNeverQuerySyntax() {
        assertThat(EnglishTerms.ofQuery("title:(apple OR pear*) AND \"pie\"~2 -crust"))
                .containsExactly("titl", "appl", "pear", "pie", "2", "crust");
    }
}
