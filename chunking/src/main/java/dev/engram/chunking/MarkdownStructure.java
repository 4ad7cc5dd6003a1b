package dev.engram.chunking;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits Markdown (or plain text, which is Markdown without markup) into sections under ATX headings ({@code #} to
 * {@code ######}), and each section into blocks: paragraphs (text between blank lines), fenced code blocks (kept whole,
 * blank lines and {@code #} lines included) and tables (consecutive lines starting with {@code |}). Setext headings
 * (underlined with {@code ===}) are read as text.
 */
final class MarkdownStructure {

    enum BlockKind {
        PROSE,
        CODE,
        TABLE
    }

    /**
     * A block's span in the text, trimmed of surrounding whitespace.
     *
     * @param fence for a code block, its opening fence line (e.g. {@code ```java}); otherwise null
     */
    record Block(int start, int end, BlockKind kind, String fence) {}

    /**
     * The blocks under one heading path.
     *
     * @param headings the heading path, outermost first, e.g. {@code ["# Guide", "## Install"]}
     * @param level the level of the section's own heading, 0 before the first heading
     * @param headingStart where the section's heading line starts (0 before the first heading)
     * @param headingEnd where the section's heading line ends
     */
    record Section(List<String> headings, int level, int headingStart, int headingEnd, List<Block> blocks) {}

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");

    private MarkdownStructure() {}

    static List<Section> parse(String text) {
        List<Section> sections = new ArrayList<>();
        List<String> path = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        SectionBuilder current = new SectionBuilder(List.of(), 0, 0, 0);
        int blockStart = -1;
        int blockEnd = -1;
        BlockKind blockKind = null;
        int pos = 0;
        while (pos <= text.length()) {
            int newline = text.indexOf('\n', pos);
            int lineEnd = newline < 0 ? text.length() : newline;
            String line = text.substring(pos, lineEnd);
            String stripped = line.strip();
            String fence = fenceMarker(stripped);
            Matcher heading = HEADING.matcher(line);
            if (fence != null) {
                current.add(blockStart, blockEnd, blockKind, text);
                blockStart = -1;
                int codeEnd = text.length();
                int next = lineEnd + 1;
                while (next <= text.length()) { // find the closing fence
                    int nl = text.indexOf('\n', next);
                    int end = nl < 0 ? text.length() : nl;
                    if (closesFence(text.substring(next, end).strip(), fence)) {
                        codeEnd = end;
                        break;
                    }
                    if (nl < 0) {
                        break;
                    }
                    next = nl + 1;
                }
                current.blocks.add(new Block(pos + indexOfNonSpace(line), codeEnd, BlockKind.CODE, stripped));
                pos = codeEnd + 1;
                continue;
            }
            if (heading.matches()) {
                current.add(blockStart, blockEnd, blockKind, text);
                blockStart = -1;
                sections.add(current.build());
                int level = heading.group(1).length();
                while (!levels.isEmpty() && levels.get(levels.size() - 1) >= level) {
                    levels.remove(levels.size() - 1);
                    path.remove(path.size() - 1);
                }
                String title = heading.group(2) == null ? "" : heading.group(2).strip();
                levels.add(level);
                path.add(title.isEmpty() ? heading.group(1) : heading.group(1) + " " + title);
                current = new SectionBuilder(List.copyOf(path), level, pos + indexOfNonSpace(line), lineEnd);
            } else if (stripped.isEmpty()) {
                current.add(blockStart, blockEnd, blockKind, text);
                blockStart = -1;
            } else {
                BlockKind kind = stripped.startsWith("|") ? BlockKind.TABLE : BlockKind.PROSE;
                if (blockStart >= 0 && kind != blockKind) {
                    current.add(blockStart, blockEnd, blockKind, text);
                    blockStart = -1;
                }
                if (blockStart < 0) {
                    blockStart = pos;
                    blockKind = kind;
                }
                blockEnd = lineEnd;
            }
            if (newline < 0) {
                break;
            }
            pos = newline + 1;
        }
        current.add(blockStart, blockEnd, blockKind, text);
        sections.add(current.build());
        return sections;
    }

    /** The fence characters if the (stripped) line opens a fenced code block, else null. */
    static String fenceMarker(String stripped) {
        if (!stripped.startsWith("```") && !stripped.startsWith("~~~")) {
            return null;
        }
        char c = stripped.charAt(0);
        int n = 0;
        while (n < stripped.length() && stripped.charAt(n) == c) {
            n++;
        }
        return stripped.substring(0, n);
    }

    private static boolean closesFence(String stripped, String fence) {
        return stripped.startsWith(fence) && stripped.chars().allMatch(ch -> ch == fence.charAt(0));
    }

    private static int indexOfNonSpace(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static final class SectionBuilder {
        private final List<String> headings;
        private final int level;
        private final int headingStart;
        private final int headingEnd;
        private final List<Block> blocks = new ArrayList<>();

        SectionBuilder(List<String> headings, int level, int headingStart, int headingEnd) {
            this.headings = headings;
            this.level = level;
            this.headingStart = headingStart;
            this.headingEnd = headingEnd;
        }

        /** Adds the open block [start, end) if there is one, trimmed. */
        void add(int start, int end, BlockKind kind, String text) {
            if (start < 0) {
                return;
            }
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (start < end) {
                blocks.add(new Block(start, end, kind, null));
            }
        }

        Section build() {
            return new Section(headings, level, headingStart, headingEnd, List.copyOf(blocks));
        }
    }
}
