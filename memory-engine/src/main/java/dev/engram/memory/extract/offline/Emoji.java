package dev.engram.memory.extract.offline;

import java.util.regex.Pattern;

/** Recognises and removes emoji and text emoticons, which carry no facts. */
final class Emoji {

    private static final Pattern EMOTICONS =
            Pattern.compile("(?<![\\p{L}\\p{N}])(?:[:;=]-?[)(DPpOo/\\\\|*3]+|<3+|\\^_?\\^|xD+|XD+)(?![\\p{L}\\p{N}])");

    private Emoji() {}

    /** Whether {@code cp} is a pictograph or symbol emoji. */
    static boolean isEmoji(int cp) {
        return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF);
    }

    /** Whether {@code cp} glues emoji together (zero-width joiner, variation selectors, skin tones). */
    static boolean isJoiner(int cp) {
        return cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF);
    }

    /** {@code text} without emoji and emoticons, spaces collapsed. */
    static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (!isEmoji(cp) && !isJoiner(cp)) {
                out.appendCodePoint(cp);
            }
        });
        String clean = out.toString();
        if (clean.length() != text.length() || mayHoldEmoticon(clean)) {
            clean = EMOTICONS.matcher(clean).replaceAll("").replaceAll("\\s{2,}", " ");
        }
        return clean.strip();
    }

    private static boolean mayHoldEmoticon(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':'
                    || c == ';'
                    || c == '='
                    || c == '<'
                    || c == '^'
                    || c == 'D' && i > 0 && text.charAt(i - 1) == 'x'
                    || c == 'D' && i > 0 && text.charAt(i - 1) == 'X') {
                return true;
            }
        }
        return false;
    }
}
