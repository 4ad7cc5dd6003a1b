package dev.engram.memory.extract.offline;

import java.util.LinkedHashSet;
import java.util.Set;

/** Content keys and content tokens: how the offline extractor decides that two texts say the same thing. */
final class Normalizer {

    private Normalizer() {}

    /**
     * The dedup key of {@code text}: lower case, apostrophes dropped ({@code don't} = {@code dont}), every run of
     * other punctuation and whitespace one space. Texts with equal keys are the same memory.
     */
    static String key(String text) {
        StringBuilder key = new StringBuilder(text.length());
        boolean gap = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '’') {
                continue;
            }
            if (Character.isLetterOrDigit(c)) {
                if (gap && !key.isEmpty()) {
                    key.append(' ');
                }
                gap = false;
                key.append(Character.toLowerCase(c));
            } else {
                gap = true;
            }
        }
        return key.toString();
    }

    /**
     * The content words of {@code text}, in order, without repeats: its {@link #key} words minus {@link
     * Lexicon#STOPWORDS}, a plural "s" dropped so that "kids" and "kid" match.
     */
    static Set<String> contentTokens(String text) {
        Set<String> tokens = new LinkedHashSet<>();
        for (String word : key(text).split(" ")) {
            if (word.isEmpty() || Lexicon.STOPWORDS.contains(word)) {
                continue;
            }
            tokens.add(stem(word));
        }
        return tokens;
    }

    private static String stem(String word) {
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
