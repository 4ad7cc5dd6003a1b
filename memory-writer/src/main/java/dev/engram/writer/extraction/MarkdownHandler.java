package dev.engram.writer.extraction;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns Tika's XHTML output into light Markdown, so the chunker sees the document's structure: headings become
 * {@code #} lines, paragraphs and other blocks are separated by blank lines, list items become {@code - } lines,
 * preformatted text becomes a fenced code block, table rows become lines with {@code |} between cells. Everything in
 * {@code <head>}, {@code <script>} and {@code <style>} is dropped.
 *
 * <p>It also enforces the extraction limits: it stops the parse (with {@link Stop}) once the text reaches the
 * character limit, or when the deadline has passed or the thread was interrupted, so a runaway parser ends at its next
 * SAX event.
 */
final class MarkdownHandler extends DefaultHandler {

    /** Thrown to end parsing early; {@link #reason} says why. */
    static final class Stop extends SAXException {
        enum Reason {
            LIMIT,
            TIMEOUT
        }

        final Reason reason;

        Stop(Reason reason) {
            super("extraction stopped: " + reason);
            this.reason = reason;
        }
    }

    private static final Set<String> BLOCKS = Set.of(
            "p",
            "div",
            "section",
            "article",
            "main",
            "header",
            "blockquote",
            "address",
            "figure",
            "figcaption",
            "dl",
            "dt",
            "dd",
            "ul",
            "ol",
            "table",
            "form",
            "fieldset",
            "caption",
            "hr");
    private static final Set<String> SKIPPED = Set.of("head", "script", "style", "title", "template", "noscript");

    private final StringBuilder out = new StringBuilder();
    private final int maxChars;
    private final long deadlineNanos;
    private final Deque<Integer> lists = new ArrayDeque<>(); // per open list: next number, or -1 for bullets
    private int skipDepth;
    private int preDepth;
    private int headingDepth;
    private boolean cellOpenInRow;
    private String pendingBreak = "";
    private String pendingPrefix = "";
    private boolean pendingSpace;
    private boolean truncated;
    private final StringBuilder firstHeading = new StringBuilder();
    private boolean firstHeadingDone;

    MarkdownHandler(int maxChars, long deadlineNanos) {
        this.maxChars = maxChars;
        this.deadlineNanos = deadlineNanos;
    }

    /** The Markdown written so far. */
    String markdown() {
        return out.toString();
    }

    /** Whether the character limit cut the text. */
    boolean truncated() {
        return truncated;
    }

    /** The text of the first heading, or an empty string. */
    String firstHeading() {
        return firstHeading.toString().strip();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
        checkTime();
        String name = name(localName, qName);
        if (skipDepth > 0 || SKIPPED.contains(name)) {
            skipDepth++;
            return;
        }
        if (preDepth > 0) {
            if (name.equals("pre")) {
                preDepth++;
            } else if (name.equals("br")) {
                write("\n");
            }
            return;
        }
        int heading = headingLevel(name);
        if (heading > 0) {
            block();
            pendingPrefix = "#".repeat(heading) + " ";
            headingDepth++;
            return;
        }
        switch (name) {
            case "pre" -> {
                block();
                emitPending();
                write("```\n");
                preDepth = 1;
            }
            case "br" -> line();
            case "ul", "ol" -> {
                if (lists.isEmpty()) {
                    block();
                } else {
                    line(); // a nested list continues its parent list
                }
                lists.push(name.equals("ul") ? -1 : 1);
            }
            case "li" -> {
                line();
                int next = lists.isEmpty() ? -1 : lists.pop();
                String indent = "  ".repeat(Math.max(0, lists.size()));
                pendingPrefix = indent + (next < 0 ? "- " : next + ". ");
                lists.push(next < 0 ? -1 : next + 1);
            }
            case "tr" -> {
                line();
                cellOpenInRow = false;
            }
            case "td", "th" -> {
                if (cellOpenInRow) {
                    pendingPrefix = " | ";
                }
                cellOpenInRow = true;
            }
            default -> {
                if (BLOCKS.contains(name)) {
                    block();
                }
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        String name = name(localName, qName);
        if (skipDepth > 0) {
            skipDepth--;
            return;
        }
        if (preDepth > 0) {
            if (name.equals("pre") && --preDepth == 0) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    write("\n");
                }
                write("```");
                block();
            }
            return;
        }
        if (headingLevel(name) > 0) {
            headingDepth = Math.max(0, headingDepth - 1);
            if (out.length() > 0 && !firstHeading.isEmpty()) {
                firstHeadingDone = true;
            }
            pendingPrefix = "";
            block();
            return;
        }
        switch (name) {
            case "ul", "ol" -> {
                if (!lists.isEmpty()) {
                    lists.pop();
                }
                if (lists.isEmpty()) {
                    block();
                } else {
                    line();
                }
            }
            case "li", "tr" -> {
                pendingPrefix = "";
                line();
            }
            case "td", "th" -> pendingPrefix = pendingPrefix.equals(" | ") ? "" : pendingPrefix;
            default -> {
                if (BLOCKS.contains(name)) {
                    block();
                }
            }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        checkTime();
        if (skipDepth > 0 || length == 0) {
            return;
        }
        if (preDepth > 0) {
            write(new String(ch, start, length));
            return;
        }
        for (int i = start; i < start + length; i++) {
            char c = ch[i];
            if (Character.isWhitespace(c) || c == '\u00a0') {
                pendingSpace = true;
                continue;
            }
            boolean atLineStart = !pendingBreak.isEmpty() || out.isEmpty() || out.charAt(out.length() - 1) == '\n';
            emitPending();
            if (pendingSpace && !atLineStart && !endsWithSpace()) {
                write(" ");
                recordHeading(' ');
            }
            pendingSpace = false;
            writeChar(c);
            recordHeading(c);
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        pendingSpace = true;
    }

    private void recordHeading(char c) {
        if (headingDepth > 0 && !firstHeadingDone && firstHeading.length() < 500) {
            firstHeading.append(c);
        }
    }

    private boolean endsWithSpace() {
        if (out.isEmpty()) {
            return true;
        }
        char last = out.charAt(out.length() - 1);
        return last == ' ' || last == '\n';
    }

    /** The next text starts a new block (after a blank line). */
    private void block() {
        if (!out.isEmpty()) {
            pendingBreak = "\n\n";
        }
        pendingSpace = false;
    }

    /** The next text starts a new line, unless it already starts a block. */
    private void line() {
        if (!out.isEmpty() && pendingBreak.isEmpty()) {
            pendingBreak = "\n";
        }
        pendingSpace = false;
    }

    private void emitPending() throws Stop {
        if (!pendingBreak.isEmpty()) {
            write(pendingBreak);
            pendingBreak = "";
        }
        if (!pendingPrefix.isEmpty()) {
            String prefix = pendingPrefix;
            pendingPrefix = "";
            write(prefix);
        }
    }

    private void write(String text) throws Stop {
        int room = maxChars - out.length();
        if (text.length() > room) {
            out.append(text, 0, Math.max(0, room));
            truncated = true;
            throw new Stop(Stop.Reason.LIMIT);
        }
        out.append(text);
    }

    private void writeChar(char c) throws Stop {
        if (out.length() >= maxChars) {
            truncated = true;
            throw new Stop(Stop.Reason.LIMIT);
        }
        out.append(c);
    }

    private void checkTime() throws Stop {
        if (Thread.currentThread().isInterrupted() || System.nanoTime() - deadlineNanos > 0) {
            throw new Stop(Stop.Reason.TIMEOUT);
        }
    }

    private static String name(String localName, String qName) {
        String name = localName == null || localName.isEmpty() ? qName : localName;
        return name.toLowerCase(Locale.ROOT);
    }

    private static int headingLevel(String name) {
        if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
            return name.charAt(1) - '0';
        }
        return 0;
    }
}
