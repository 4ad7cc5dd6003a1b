package dev.engram.writer.extraction;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Picks a document's title: declared metadata, else its first heading, else a short first line. */
final class Titles {

    /** Longest title kept. */
    static final int MAX_TITLE = 200;
    /** Longest first line used as a title before it is shortened at a word boundary. */
    static final int MAX_FIRST_LINE = 80;

    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}[ \\t]+(.+?)[ \\t#]*$", Pattern.MULTILINE);

    private Titles() {}

    /**
     * The title of extracted text.
     *
     * @param declared a title from the document's metadata (HTML title, PDF or Office properties), or null
     * @param firstHeading the first heading seen while parsing, or null to look for a Markdown heading in the text
     * @param text the extracted text, not blank
     */
    static String pick(String declared, String firstHeading, String text) {
        String title = clean(declared);
        if (title.isEmpty()) {
            title = clean(firstHeading);
        }
        if (title.isEmpty()) {
            title = clean(firstMarkdownHeading(text));
        }
        if (title.isEmpty()) {
            title = shorten(clean(stripMarkup(firstLine(text))), MAX_FIRST_LINE);
        }
        return shorten(title, MAX_TITLE);
    }

    /** The text of the first ATX heading ({@code # Title}) outside code blocks, or null. */
    static String firstMarkdownHeading(String text) {
        boolean inFence = false;
        for (String line : text.split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            if (!inFence) {
                Matcher m = ATX_HEADING.matcher(line);
                if (m.matches()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n")) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("```") && !stripped.startsWith("~~~")) {
                return stripped;
            }
        }
        return "";
    }

    /** Drops leading Markdown block markers (heading, quote, list bullets). */
    private static String stripMarkup(String line) {
        return line.replaceFirst("^(#{1,6}\\s+|>\\s*|[-*+]\\s+|\\d+[.)]\\s+)+", "");
    }

    private static String clean(String value) {
        return value == null ? "" : value.replaceAll("\\s+", " ").strip();
    }

    /** At most {@code max} characters, cut at a word boundary when there is one, marked with an ellipsis. */
    static String shorten(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int cut = value.lastIndexOf(' ', max - 1);
        if (cut < max / 2) {
            cut = max - 1;
        }
        if (Character.isHighSurrogate(value.charAt(cut - 1))) {
            cut--;
        }
        return value.substring(0, cut).strip() + "…";
    }
}
