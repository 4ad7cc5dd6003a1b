package dev.engram.writer.extraction;

/**
 * Normalises whitespace and strips invisible characters, leaving fenced code blocks ({@code ```} or {@code ~~~}) as
 * they are apart from line endings.
 *
 * <p>Everywhere: line endings become {@code \n}; control characters, zero-width characters, soft hyphens and byte
 * order marks are removed; no-break and other special spaces become plain spaces; trailing whitespace is trimmed; more
 * than one blank line in a row becomes one; leading and trailing blank lines go. In {@link Mode#PROSE} runs of spaces
 * and tabs inside a line also collapse to one space and indentation is dropped; {@link Mode#LAYOUT} keeps them
 * (Markdown nesting, CSV/TSV, JSON).
 */
final class TextNormalizer {

    /** How much of a line's layout to keep. */
    enum Mode {
        PROSE,
        LAYOUT
    }

    private TextNormalizer() {}

    static String normalize(String text, Mode mode) {
        String cleaned = clean(text);
        StringBuilder out = new StringBuilder(cleaned.length());
        String fence = null;
        int blankRun = 0;
        for (String line : cleaned.split("\n", -1)) {
            String trimmedEnd = stripTrailing(line);
            if (fence != null) { // inside a code block: keep the line as it is
                out.append(trimmedEnd).append('\n');
                if (closesFence(trimmedEnd.strip(), fence)) {
                    fence = null;
                }
                continue;
            }
            String fenceOpen = fenceMarker(trimmedEnd.strip());
            String normalized = mode == Mode.PROSE && fenceOpen == null ? collapseSpaces(trimmedEnd) : trimmedEnd;
            if (normalized.isEmpty()) {
                blankRun++;
                continue;
            }
            if (out.length() > 0 && blankRun > 0) {
                out.append('\n');
            }
            blankRun = 0;
            out.append(fenceOpen != null ? trimmedEnd.strip() : normalized).append('\n');
            fence = fenceOpen;
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '\n') {
            end--;
        }
        return out.substring(0, end);
    }

    /** Removes what is invisible or unsafe in text and unifies line endings and spaces. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> {
                    out.append('\n');
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                }
                case '\n', '\t' -> out.append(c);
                case '\f', '\u2028', '\u2029', '\u0085' -> out.append("\n\n");
                case '\u00a0', '\u2007', '\u202f', '\u3000' -> out.append(' ');
                case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff' -> {
                    // soft hyphen, zero-width characters, byte order mark: invisible
                }
                default -> {
                    if (c >= 0x2000 && c <= 0x200a) {
                        out.append(' ');
                    } else if (!Character.isISOControl(c)) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String collapseSpaces(String line) {
        StringBuilder out = new StringBuilder(line.length());
        boolean space = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** The fence characters ({@code ```} or {@code ~~~}, possibly longer) if the line opens a code block, else null. */
    static String fenceMarker(String strippedLine) {
        if (!isFence(strippedLine)) {
            return null;
        }
        char c = strippedLine.charAt(0);
        int n = 0;
        while (n < strippedLine.length() && strippedLine.charAt(n) == c) {
            n++;
        }
        return strippedLine.substring(0, n);
    }

    /** A closing fence is a run of the opening fence's character, at least as long, and nothing else. */
    private static boolean closesFence(String strippedLine, String fence) {
        return strippedLine.startsWith(fence) && strippedLine.chars().allMatch(ch -> ch == fence.charAt(0));
    }

    private static boolean isFence(String strippedLine) {
        return strippedLine.startsWith("```") || strippedLine.startsWith("~~~");
    }
}
