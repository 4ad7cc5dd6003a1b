package dev.engram.vectors.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.Operations;
import org.junit.jupiter.api.Test;

class SubstringAutomatonTest {

    @Test
    void acceptsExactlyTheStringsContainingTheNeedle() {
        Random random = new Random(11);
        String letters = "abé😀";
        for (int round = 0; round < 2000; round++) {
            String needle = randomText(random, letters, random.nextInt(5));
            String text = randomText(random, letters, random.nextInt(12));
            Automaton automaton = SubstringAutomaton.containing(needle);

            assertThat(automaton.isDeterministic()).isTrue();
            assertThat(Operations.run(automaton, text))
                    .as("%s contains %s", text, needle)
                    .isEqualTo(text.contains(needle));
        }
    }

    @Test
    void periodicNeedlesFallBackToTheirLongestBorder() {
        Automaton automaton = SubstringAutomaton.containing("abab");

        for (String text : List.of("abab", "aababab", "ababa", "xabab")) {
            assertThat(Operations.run(automaton, text)).as(text).isTrue();
        }
        for (String text : List.of("aba", "abba", "baba", "")) {
            assertThat(Operations.run(automaton, text)).as(text).isFalse();
        }
    }

    private static String randomText(Random random, String letters, int codePoints) {
        int[] alphabet = letters.codePoints().toArray();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return text.toString();
    }
}
