package dev.engram.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds sentence, line and word spans in a region of text. Rules are simple and fixed (no locale data), so the same
 * text always splits the same way on every JVM: that keeps chunk ids stable.
 */
final class TextSpans {

    /** A region {@code [start, end)} of the text. */
    record Span(int start, int end) {}

    private TextSpans() {}

    /**
     * Sentences in {@code [start, end)}: a sentence ends after {@code . ! ? …} (and any closing quotes or brackets)
     * followed by a line break, or by spaces and then not a lower-case letter (so "e.g. this" stays whole); after
     * {@code 。！？}; and at a line break followed by a list item, quote or table row. Spans are trimmed and never empty.
     */
    static List<Span> sentences(String text, int start, int end) {
        List<Span> spans = new ArrayList<>();
        int sentenceStart = start;
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            int boundary = -1;
            if (c == '.' || c == '!' || c == '?' || c == '…') {
                int j = i + 1;
                while (j < end && isTerminatorOrCloser(text.charAt(j))) {
                    j++;
                }
                if (j < end && Character.isWhitespace(text.charAt(j))) {
                    int k = j;
                    boolean lineBreak = false;
                    while (k < end && Character.isWhitespace(text.charAt(k))) {
                        lineBreak |= text.charAt(k) == '\n';
                        k++;
                    }
                    if (lineBreak || k >= end || !Character.isLowerCase(text.charAt(k))) {
                        boundary = j;
                    }
                }
                i = j;
            } else if (c == '。' || c == '！' || c == '？') {
                boundary = i + 1;
                i++;
            } else if (c == '\n') {
                int k = i + 1;
                while (k < end && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) {
                    k++;
                }
                if (k < end && startsListOrQuote(text, k, end)) {
                    boundary = i;
                }
                i++;
            } else {
                i++;
            }
            if (boundary >= 0) {
                add(spans, text, sentenceStart, boundary);
                sentenceStart = boundary;
            }
        }
        add(spans, text, sentenceStart, end);
        return spans;
    }

    /** Lines in {@code [start, end)}, trimmed at the end, blank ones skipped. */
    static List<Span> lines(String text, int start, int end) {
        List<Span> spans = new ArrayList<>();
        int lineStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || text.charAt(i) == '\n') {
                int s = lineStart;
                int e = i;
                while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
                    e--;
                }
                if (e > s && !text.substring(s, e).isBlank()) {
                    spans.add(new Span(s, e));
                }
                lineStart = i + 1;
            }
        }
        return spans;
    }

    /** Words (maximal runs of non-whitespace) in {@code [start, end)}. */
    static List<Span> words(String text, int start, int end) {
        List<Span> spans = new ArrayList<>();
        int i = start;
        while (i < end) {
            while (i < end && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < end && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > s) {
                spans.add(new Span(s, i));
            }
        }
        return spans;
    }

    private static void add(List<Span> spans, String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            spans.add(new Span(start, end));
        }
    }

    private static boolean isTerminatorOrCloser(char c) {
        return c == '.' || c == '!' || c == '?' || c == '…' || c == '"' || c == '\'' || c == ')' || c == ']' || c == '”'
                || c == '’' || c == '»' || c == '*' || c == '_';
    }

    private static boolean startsListOrQuote(String text, int k, int end) {
        char c = text.charAt(k);
        if (c == '>' || c == '|') {
            return true;
        }
        if ((c == '-' || c == '*' || c == '+') && k + 1 < end && text.charAt(k + 1) == ' ') {
            return true;
        }
        int d = k;
        while (d < end && Character.isDigit(text.charAt(d))) {
            d++;
        }
        return d > k && d + 1 < end && (text.charAt(d) == '.' || text.charAt(d) == ')') && text.charAt(d + 1) == ' ';
    }
}
