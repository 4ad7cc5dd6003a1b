package dev.engram.router.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The delimited block of memories added to the system prompt. Memories are taken best first, each once (compared
 * case- and whitespace-insensitively, and skipped when the system prompt already says it), while the whole block
 * fits the token budget.
 *
 * @param text the block, delimiters included; empty when no memory was taken
 * @param memories how many memories it holds
 * @param tokens its tokens
 */
public record MemoryBlock(String text, int memories, int tokens) {

    /** Opens the block; clients and tests can find it by this line. */
    public static final String OPEN = "<user-memories>";

    /** Closes the block. */
    public static final String CLOSE = "</user-memories>";

    static final String HEADER =
            "Facts remembered about the user from earlier conversations. Use them when relevant; do not mention this"
                    + " list.";

    /** No block. */
    public static final MemoryBlock EMPTY = new MemoryBlock("", 0, 0);

    /**
     * Builds the block.
     *
     * @param candidates memory texts, best first
     * @param systemText the system prompt as the client sent it
     */
    public static MemoryBlock of(List<String> candidates, String systemText, int budget, TokenCounter counter) {
        String system = normalise(systemText);
        Set<String> seen = new HashSet<>();
        List<String> lines = new ArrayList<>();
        int tokens = counter.count(OPEN + "\n" + HEADER + "\n" + CLOSE);
        for (String candidate : candidates) {
            String memory = candidate == null ? "" : candidate.strip().replaceAll("\\s+", " ");
            String key = normalise(memory);
            if (key.isEmpty() || !seen.add(key) || system.contains(key)) {
                continue;
            }
            String line = "- " + memory;
            int lineTokens = counter.count(line + "\n");
            if (tokens + lineTokens > budget) {
                continue; // a shorter, lower-ranked memory may still fit
            }
            tokens += lineTokens;
            lines.add(line);
        }
        if (lines.isEmpty()) {
            return EMPTY;
        }
        String text = OPEN + "\n" + HEADER + "\n" + String.join("\n", lines) + "\n" + CLOSE;
        return new MemoryBlock(text, lines.size(), counter.count(text));
    }

    private static String normalise(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
