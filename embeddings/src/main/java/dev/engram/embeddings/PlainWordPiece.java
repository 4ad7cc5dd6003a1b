package dev.engram.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * BERT's uncased tokenization done in Java for plain words: words of ASCII characters and a few typographic
 * punctuation marks ({@code ‘ ’ “ ” – — …}). For those, the tokenizer's normalisation is only dropping control
 * characters and lower-casing {@code A–Z}, and its pre-tokenizer only splits at whitespace and punctuation, so the
 * WordPiece lookups are all there is to it. Every other word (accents, other scripts, other symbols) is left to the
 * native tokenizer, whose Unicode tables this class does not try to copy.
 *
 * <p>Why: the native tokenizer costs about 130 µs for a 400-character text through JNI, and the chunker asks for
 * counts of every block, sentence and chunk it builds, which made tokenising a visible share of the writer's CPU.
 * Here a text of plain words costs a few microseconds.
 *
 * <p>Words are the text between ASCII whitespace ({@code space \t \n \r}); the other control characters are
 * dropped by the tokenizer's normalisation, so they never separate words. A word that holds an added token's text
 * ({@code [CLS]}, …), which the tokenizer matches before normalising, is left to the native tokenizer as well.
 *
 * <p>Built only from a {@code tokenizer.json} whose normaliser is {@code BertNormalizer} (lower-casing, cleaning),
 * whose pre-tokenizer is {@code BertPreTokenizer} and whose model is {@code WordPiece} with a {@code ##} prefix;
 * {@link WordPieceTokenizer} further checks it against the native tokenizer before using it. Thread-safe (immutable).
 */
final class PlainWordPiece {

    /** Punctuation marks beyond ASCII that count as plain (all Unicode punctuation, none changed by normalising). */
    private static final String TYPOGRAPHIC = "‘’“”–—…";

    private final Map<String, Integer> wordStarts;
    private final Map<String, Integer> continuations;
    private final int unknownId;
    private final int maxWordChars;
    private final List<String> addedTokens;

    private PlainWordPiece(
            Map<String, Integer> wordStarts,
            Map<String, Integer> continuations,
            int unknownId,
            int maxWordChars,
            List<String> addedTokens) {
        this.wordStarts = wordStarts;
        this.continuations = continuations;
        this.unknownId = unknownId;
        this.maxWordChars = maxWordChars;
        this.addedTokens = addedTokens;
    }

    /** The Java path for a parsed {@code tokenizer.json}, or empty if the tokenizer is not plain BERT WordPiece. */
    static Optional<PlainWordPiece> of(JsonNode tokenizer) {
        JsonNode normalizer = tokenizer.path("normalizer");
        JsonNode model = tokenizer.path("model");
        boolean bert = "BertNormalizer".equals(normalizer.path("type").asText())
                && normalizer.path("clean_text").asBoolean(false)
                && normalizer.path("lowercase").asBoolean(false)
                && "BertPreTokenizer"
                        .equals(tokenizer.path("pre_tokenizer").path("type").asText())
                && "WordPiece".equals(model.path("type").asText())
                && "##".equals(model.path("continuing_subword_prefix").asText())
                && model.path("max_input_chars_per_word").canConvertToInt()
                && model.path("vocab").isObject();
        if (!bert) {
            return Optional.empty();
        }
        Map<String, Integer> wordStarts = new HashMap<>();
        Map<String, Integer> continuations = new HashMap<>();
        model.path("vocab").properties().forEach(entry -> {
            String piece = entry.getKey();
            int id = entry.getValue().asInt();
            if (piece.startsWith("##")) {
                continuations.put(piece.substring(2), id);
            } else {
                wordStarts.put(piece, id);
            }
        });
        Integer unknown = wordStarts.get(model.path("unk_token").asText());
        if (unknown == null) {
            return Optional.empty();
        }
        List<String> added = new ArrayList<>();
        tokenizer
                .path("added_tokens")
                .forEach(token -> added.add(token.path("content").asText()));
        return Optional.of(new PlainWordPiece(
                wordStarts,
                continuations,
                unknown,
                model.path("max_input_chars_per_word").asInt(),
                List.copyOf(added)));
    }

    /**
     * Tokenises {@code text}: the ids of its plain words go to {@code ids} (when not null) in order, and the words that
     * are not plain to {@code rest}, each followed by a space. Returns the number of tokens of the plain words; with
     * {@code rest} null, -1 as soon as a word is not plain (the caller then tokenises the whole text natively).
     */
    int tokenize(String text, IdSink ids, StringBuilder rest) {
        int tokens = 0;
        char[] buffer = new char[32];
        int length = text.length();
        int i = 0;
        while (i < length) {
            while (i < length && isSeparator(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < length && !isSeparator(text.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            if (!isPlain(text, start, i)) {
                if (rest == null) {
                    return -1;
                }
                rest.append(text, start, i).append(' ');
                continue;
            }
            // Within the word: punctuation marks are words of their own; control characters are dropped.
            int n = 0;
            for (int k = start; k < i; k++) {
                char c = text.charAt(k);
                if (isPunctuation(c)) {
                    tokens += wordPiece(buffer, n, ids);
                    n = 0;
                    buffer[0] = c;
                    tokens += wordPiece(buffer, 1, ids);
                } else if (c > ' ' && c != 0x7f) {
                    if (n == buffer.length) {
                        buffer = Arrays.copyOf(buffer, n * 2);
                    }
                    buffer[n++] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
                }
            }
            tokens += wordPiece(buffer, n, ids);
        }
        return tokens;
    }

    /** WordPiece of one normalised word (greedy longest match first); an unmatched word is one unknown token. */
    private int wordPiece(char[] word, int length, IdSink ids) {
        if (length == 0) {
            return 0;
        }
        if (length > maxWordChars) {
            return unknown(ids);
        }
        String whole = new String(word, 0, length);
        Integer id = wordStarts.get(whole);
        if (id != null) {
            if (ids != null) {
                ids.add(id);
            }
            return 1;
        }
        int[] found = new int[length];
        int count = 0;
        int start = 0;
        while (start < length) {
            Map<String, Integer> vocabulary = start == 0 ? wordStarts : continuations;
            Integer match = null;
            int end = length;
            while (end > start) {
                match = vocabulary.get(whole.substring(start, end));
                if (match != null) {
                    break;
                }
                end--;
            }
            if (match == null) {
                return unknown(ids);
            }
            found[count++] = match;
            start = end;
        }
        if (ids != null) {
            for (int k = 0; k < count; k++) {
                ids.add(found[k]);
            }
        }
        return count;
    }

    private int unknown(IdSink ids) {
        if (ids != null) {
            ids.add(unknownId);
        }
        return 1;
    }

    /** Whether the word {@code [start, end)} is left to this class (see the class comment). */
    private boolean isPlain(String text, int start, int end) {
        boolean bracket = false;
        for (int k = start; k < end; k++) {
            char c = text.charAt(k);
            if (c >= 0x80 && TYPOGRAPHIC.indexOf(c) < 0) {
                return false;
            }
            bracket |= c == '[';
        }
        if (bracket) {
            String word = text.substring(start, end);
            for (String added : addedTokens) {
                if (word.contains(added)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** ASCII whitespace, which the normaliser turns into spaces and the pre-tokenizer splits at. */
    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isPunctuation(char c) {
        return (c >= '!' && c <= '/')
                || (c >= ':' && c <= '@')
                || (c >= '[' && c <= '`')
                || (c >= '{' && c <= '~')
                || (c >= 0x80 && TYPOGRAPHIC.indexOf(c) >= 0);
    }

    /** Receives token ids in order. */
    interface IdSink {
        void add(long id);
    }
}
