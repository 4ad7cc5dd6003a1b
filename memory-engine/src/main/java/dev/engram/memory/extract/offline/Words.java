package dev.engram.memory.extract.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits text into words in one pass: runs of letters and digits, with inner apostrophes and hyphens. */
final class Words {

    private Words() {}

    /** The words of {@code text}, as written, curly apostrophes made straight. */
    static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else if ((c == '\'' || c == '’' || c == '-')
                    && !word.isEmpty()
                    && i + 1 < text.length()
                    && Character.isLetterOrDigit(text.charAt(i + 1))) {
                word.append(c == '’' ? '\'' : c);
            } else if (!word.isEmpty()) {
                words.add(word.toString());
                word.setLength(0);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** Whether {@code word} occurs in {@code text} as a whole word, ignoring case. */
    static boolean containsWord(String text, String word) {
        String lowerText = text.toLowerCase(Locale.ROOT);
        String lowerWord = word.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lowerText.indexOf(lowerWord, from);
            if (at < 0) {
                return false;
            }
            int end = at + lowerWord.length();
            boolean startsWord = at == 0 || !Character.isLetterOrDigit(lowerText.charAt(at - 1));
            boolean endsWord = end == lowerText.length() || !Character.isLetterOrDigit(lowerText.charAt(end));
            if (startsWord && endsWord) {
                return true;
            }
            from = at + 1;
        }
    }
}
