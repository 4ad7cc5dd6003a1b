package dev.engram.memory.extract.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into sentences with a single left-to-right scan.
 *
 * <p>A sentence ends at {@code . ! ? …} (with any closing quotes or brackets) followed by whitespace and the start of a
 * new sentence, at an emoji followed by a capitalised word, and at a line break that ends a line with terminal
 * punctuation, starts a list item, or ends a short heading-like line; other line breaks are wrapped text and join.
 * A period does not end a sentence after a title ("Dr. Smith"), an initial ("J. K."), an abbreviation followed by a
 * lower-case word ("e.g. the"), or inside a URL, an e-mail address or a number ("3.5", "1,000.25").
 */
final class SentenceSplitter {

    /** Abbreviations written with a period, without it, lower case. */
    private static final Set<String> ABBREVIATIONS = Lexicon.words("""
            mr mrs ms dr prof sr jr st mt ft vs etc e.g i.e eg ie approx no inc ltd co corp jan feb mar apr jun
            jul aug sep sept oct nov dec ave dept est fig vol a.m p.m u.s u.k govt cf al
            """);

    /** Abbreviations that precede a name and so never end a sentence. */
    private static final Set<String> TITLES = Lexicon.words("""
            mr mrs ms dr prof sr jr st mt ft
            """);

    /** Spans a boundary is never looked for in, each run only when the text has its telltale character. */
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S*[^\\s.,!?;:)\\]'\"”’]");

    private static final Pattern EMAIL = Pattern.compile("(?<![\\w.+-])[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern NUMBER = Pattern.compile("(?<!\\d)\\d+(?:[.,:]\\d+)+");

    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*•]|\\d{1,3}[.)])\\s+");
    private static final int HEADING_MAX_CHARS = 40;

    private SentenceSplitter() {}

    /** The sentences of {@code text}, stripped, in order; none for blank text. */
    static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        for (String paragraph : paragraphs(text)) {
            splitParagraph(paragraph, sentences);
        }
        return sentences;
    }

    /** Joins wrapped lines; keeps apart lines that end a sentence, start a list item or look like headings. */
    private static List<String> paragraphs(String text) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String rawLine : text.split("\\R")) {
            String line = rawLine.strip();
            if (line.isEmpty()) {
                flush(current, paragraphs);
                continue;
            }
            if (LIST_ITEM.matcher(line).find()) {
                flush(current, paragraphs);
                line = LIST_ITEM.matcher(line).replaceFirst("");
            }
            if (!current.isEmpty()) {
                current.append(' ');
            }
            current.append(line);
            char last = line.charAt(line.length() - 1);
            if (".!?:;…".indexOf(last) >= 0 || line.length() <= HEADING_MAX_CHARS) {
                flush(current, paragraphs);
            }
        }
        flush(current, paragraphs);
        return paragraphs;
    }

    private static void flush(StringBuilder current, List<String> paragraphs) {
        if (!current.isEmpty()) {
            paragraphs.add(current.toString());
            current.setLength(0);
        }
    }

    private static void splitParagraph(String text, List<String> out) {
        boolean[] shielded = new boolean[text.length()];
        if (text.indexOf('/') >= 0 || text.contains("www.")) {
            shield(URL, text, shielded);
        }
        if (text.indexOf('@') >= 0) {
            shield(EMAIL, text, shielded);
        }
        if (text.chars().anyMatch(Character::isDigit)) {
            shield(NUMBER, text, shielded);
        }
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            if (shielded[i]) {
                i += width;
                continue;
            }
            int end = -1;
            if (isTerminal(cp)) {
                end = terminalRunEnd(text, i, start);
            } else if (Emoji.isEmoji(cp)) {
                end = emojiRunEnd(text, i);
            }
            if (end > 0) {
                add(text.substring(start, end), out);
                start = end;
                i = end;
            } else {
                i += width;
            }
        }
        add(text.substring(start), out);
    }

    private static void shield(Pattern span, String text, boolean[] shielded) {
        Matcher matcher = span.matcher(text);
        while (matcher.find()) {
            Arrays.fill(shielded, matcher.start(), matcher.end(), true);
        }
    }

    private static boolean isTerminal(int cp) {
        return cp == '.' || cp == '!' || cp == '?' || cp == '…';
    }

    /** Where the sentence ends if the terminal run at {@code i} ends it, else -1. */
    private static int terminalRunEnd(String text, int i, int sentenceStart) {
        int j = i;
        boolean strong = false;
        while (j < text.length() && isTerminal(text.charAt(j))) {
            strong |= text.charAt(j) == '!' || text.charAt(j) == '?';
            j++;
        }
        boolean ellipsis = j - i >= 2 && !strong || text.charAt(i) == '…';
        while (j < text.length() && "\"'”’)]".indexOf(text.charAt(j)) >= 0) {
            j++;
        }
        if (j >= text.length()) {
            return text.length();
        }
        if (!Character.isWhitespace(text.charAt(j))) {
            return -1;
        }
        int next = j;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        if (next >= text.length()) {
            return text.length();
        }
        int following = firstLetterOrDigit(text, next);
        boolean lowerNext = following >= 0 && Character.isLowerCase(following);
        if (strong) {
            return j;
        }
        if (ellipsis) {
            return lowerNext ? -1 : j;
        }
        String word = wordBefore(text, i, sentenceStart);
        if (TITLES.contains(word)) {
            return -1;
        }
        if (word.length() == 1 && Character.isLetter(word.charAt(0)) && isUpperAt(text, i - 1)) {
            return -1; // an initial
        }
        if (ABBREVIATIONS.contains(word)) {
            return following >= 0 && Character.isUpperCase(following) ? j : -1;
        }
        return lowerNext ? -1 : j;
    }

    private static int firstLetterOrDigit(String text, int from) {
        for (int k = from; k < Math.min(text.length(), from + 3); k++) {
            if (Character.isLetterOrDigit(text.charAt(k))) {
                return text.charAt(k);
            }
        }
        return -1;
    }

    private static boolean isUpperAt(String text, int index) {
        return index >= 0 && Character.isUpperCase(text.charAt(index));
    }

    /** The word right before the period at {@code dot}, lower case, inner periods kept ("e.g"). */
    private static String wordBefore(String text, int dot, int sentenceStart) {
        int k = dot;
        while (k > sentenceStart && (Character.isLetter(text.charAt(k - 1)) || text.charAt(k - 1) == '.')) {
            k--;
        }
        return text.substring(k, dot).toLowerCase(Locale.ROOT);
    }

    /** An emoji run ends a sentence when a capitalised word follows it. */
    private static int emojiRunEnd(String text, int i) {
        int j = i;
        while (j < text.length()) {
            int cp = text.codePointAt(j);
            if (!Emoji.isEmoji(cp) && !Emoji.isJoiner(cp)) {
                break;
            }
            j += Character.charCount(cp);
        }
        int next = j;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        if (next == j || next >= text.length()) {
            return -1;
        }
        return Character.isUpperCase(text.charAt(next)) ? j : -1;
    }

    private static void add(String sentence, List<String> out) {
        String stripped = sentence.strip();
        if (!stripped.isEmpty()) {
            out.add(stripped);
        }
    }
}
