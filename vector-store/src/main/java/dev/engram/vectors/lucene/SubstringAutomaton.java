package dev.engram.vectors.lucene;

import java.util.Arrays;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;

/**
 * The deterministic automaton of "contains {@code needle}", built directly as the Knuth-Morris-Pratt matcher over
 * code points: state {@code i} means the last {@code i} code points read are the first {@code i} of the needle.
 * Determinizing {@code .*needle.*} instead would exceed Lucene's work limit for needles of a few hundred characters.
 */
final class SubstringAutomaton {

    private SubstringAutomaton() {}

    /** Accepts exactly the strings containing {@code needle} (every string if it is empty). */
    static Automaton containing(String needle) {
        int[] pattern = needle.codePoints().toArray();
        int length = pattern.length;
        if (length == 0) {
            return Automata.makeAnyString();
        }
        int[] alphabet = Arrays.stream(pattern).distinct().sorted().toArray();
        int[][] next = transitions(pattern, alphabet);

        Automaton automaton = new Automaton();
        for (int state = 0; state <= length; state++) {
            automaton.createState();
        }
        automaton.setAccept(length, true);
        for (int state = 0; state < length; state++) {
            int from = 0; // code points below `from` already have a transition from this state
            for (int a = 0; a < alphabet.length; a++) {
                if (alphabet[a] > from) {
                    automaton.addTransition(state, 0, from, alphabet[a] - 1); // not in the needle: start over
                }
                automaton.addTransition(state, next[state][a], alphabet[a]);
                from = alphabet[a] + 1;
            }
            if (from <= Character.MAX_CODE_POINT) {
                automaton.addTransition(state, 0, from, Character.MAX_CODE_POINT);
            }
        }
        automaton.addTransition(length, length, 0, Character.MAX_CODE_POINT); // found: anything may follow
        automaton.finishState();
        return automaton;
    }

    /** {@code next[state][a]}: the state after reading {@code alphabet[a]} in {@code state} (KMP, fully expanded). */
    private static int[][] transitions(int[] pattern, int[] alphabet) {
        int length = pattern.length;
        int[] border = new int[length + 1]; // border[i]: longest proper border of the first i code points
        for (int i = 1, k = 0; i < length; i++) {
            while (k > 0 && pattern[k] != pattern[i]) {
                k = border[k];
            }
            if (pattern[k] == pattern[i]) {
                k++;
            }
            border[i + 1] = k;
        }
        int[][] next = new int[length][alphabet.length];
        for (int state = 0; state < length; state++) {
            for (int a = 0; a < alphabet.length; a++) {
                if (pattern[state] == alphabet[a]) {
                    next[state][a] = state + 1;
                } else {
                    next[state][a] = state == 0 ? 0 : next[border[state]][a];
                }
            }
        }
        return next;
    }
}
