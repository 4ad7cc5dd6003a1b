package dev.engram.embeddings;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The model's own WordPiece tokenizer (the HuggingFace {@code tokenizer.json} shipped beside the ONNX graph), used
 * both to count tokens and to build model inputs, so the count a chunker sees is exactly what the model reads.
 *
 * <p>The tokenizer itself never truncates or pads; {@link #encodeForModel} truncates explicitly to
 * {@code maxSequenceLength} ids, special tokens included, keeping the first {@code maxSequenceLength - 2} content
 * tokens (what HuggingFace's right-truncation does for a single sequence). Thread-safe: the native tokenizer is
 * immutable once loaded.
 *
 * <p>Only the ids are read from the native encoding: DJL's {@code encode} also copies out every token's string, its
 * character span, word id, masks and overflow, about eight native calls per text, which made up about half of the time
 * the writer spent tokenising. That path bypasses DJL's Java-side text preparation (prefix space, case, accents),
 * which these tokenizers do not use; the constructor checks that on sample texts, and keeps DJL's path if the ids differ.
 *
 * <p>Words of plain characters (ASCII and a few typographic marks) are tokenised in Java ({@link PlainWordPiece}), which
 * is about twenty times cheaper than a native call; a text's other words go to the native tokenizer in one call. The
 * constructor checks the Java path against the native one on sample texts too, and does not use it if any id differs.
 */
final class WordPieceTokenizer implements AutoCloseable {

    /** Ids the BERT uncased vocabulary gives its sequence markers (checked against the loaded file). */
    static final long CLS_ID = 101;

    static final long SEP_ID = 102;

    /** Texts whose ids both ways must agree before the direct path is used (case, accents, compatibility forms). */
    static final List<String> PROBES = List.of(
            "Hello World",
            "  leading and trailing  ",
            "Café RÉSUMÉ naïve Ångström",
            "ﬁnance ² ½ Ⅻ ｆｕｌｌｗｉｄｔｈ",
            "東京 and 北京, e-mail: a.b@c.d (3.14)",
            "don't stop—“quoted” … #tag C++",
            "");

    /** Texts on which the Java path must give the native ids (case, punctuation, control characters, long words). */
    static final List<String> PLAIN_PROBES = List.of(
            "Hello, World! It's 3.14 (roughly) -- e-mail a.b@c.d #tag C++ {x|y} ~`^_",
            "UNAFFABLE unaffable running jumped supercalifragilisticexpialidocious xqzvw",
            "tab\there\nnew line\r\nbell\u0007drop\u007fdel \u000bvt\u000cff",
            "[CLS] a[SEP]b [MASK] [notatoken] [ cls ]",
            "‘single’ “double” en–dash em—dash wait… x".repeat(2),
            "a".repeat(100) + " " + "b".repeat(101) + " " + "ab".repeat(60),
            "");

    private final HuggingFaceTokenizer tokenizer;
    private final int maxSequenceLength;
    private final boolean direct;
    /** The Java path for plain words, if the tokenizer is plain BERT and the probes agree. */
    private final PlainWordPiece plain;

    private WordPieceTokenizer(HuggingFaceTokenizer tokenizer, int maxSequenceLength, Optional<PlainWordPiece> plain) {
        this.tokenizer = tokenizer;
        this.maxSequenceLength = maxSequenceLength;
        this.direct = PROBES.stream()
                .allMatch(probe -> Arrays.equals(directIds(probe, true), djlIds(probe, true))
                        && Arrays.equals(directIds(probe, false), djlIds(probe, false)));
        this.plain = plain.filter(candidate -> agrees(candidate)).orElse(null);
    }

    private boolean agrees(PlainWordPiece candidate) {
        return Stream.concat(PROBES.stream(), PLAIN_PROBES.stream())
                .allMatch(probe -> Arrays.equals(ids(candidate, probe, true), nativeIds(probe, true))
                        && Arrays.equals(ids(candidate, probe, false), nativeIds(probe, false))
                        && count(candidate, probe) == nativeIds(probe, false).length);
    }

    /** Loads a {@code tokenizer.json}, overriding the file's own truncation and padding settings (we do both). */
    static WordPieceTokenizer load(InputStream tokenizerJson, int maxSequenceLength) throws IOException {
        if (maxSequenceLength < 3) {
            throw new IllegalArgumentException("maxSequenceLength must leave room for [CLS] text [SEP]");
        }
        byte[] json = tokenizerJson.readAllBytes();
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(json),
                Map.of(
                        "addSpecialTokens", "true",
                        "truncation", "false",
                        "padding", "false"));
        Optional<PlainWordPiece> plain = PlainWordPiece.of(new ObjectMapper().readTree(json));
        WordPieceTokenizer loaded = new WordPieceTokenizer(tokenizer, maxSequenceLength, plain);
        long[] probe = tokenizer.encode("a", true, false).getIds();
        if (probe.length != 3 || probe[0] != CLS_ID || probe[probe.length - 1] != SEP_ID) {
            loaded.close();
            throw new IllegalStateException("tokenizer does not frame sequences as [CLS] text [SEP]");
        }
        return loaded;
    }

    /** Content tokens in {@code text}, without the two sequence markers, before any truncation. */
    int countTokens(String text) {
        return plain == null ? nativeIds(text, false).length : count(plain, text);
    }

    /** Whether plain words are tokenised in Java (see the class comment). */
    boolean plainInJava() {
        return plain != null;
    }

    /** Counts with the Java path for plain words and one native call for the rest (counts add up over whitespace). */
    private int count(PlainWordPiece java, String text) {
        StringBuilder rest = new StringBuilder();
        int tokens = java.tokenize(text, null, rest);
        return rest.isEmpty() ? tokens : tokens + nativeIds(rest.toString(), false).length;
    }

    /** The ids from the Java path when every word is plain, else from the native tokenizer. */
    private long[] ids(PlainWordPiece java, String text, boolean addSpecialTokens) {
        Ids ids = new Ids(text.length() / 3 + 3);
        if (addSpecialTokens) {
            ids.add(CLS_ID);
        }
        if (java.tokenize(text, ids, null) < 0) {
            return nativeIds(text, addSpecialTokens); // ids must keep the text's order: all from one tokenizer
        }
        if (addSpecialTokens) {
            ids.add(SEP_ID);
        }
        return ids.toArray();
    }

    /** Whether ids are read straight from the native encoding (see the class comment). */
    boolean direct() {
        return direct;
    }

    private long[] ids(String text, boolean addSpecialTokens) {
        return plain == null ? nativeIds(text, addSpecialTokens) : ids(plain, text, addSpecialTokens);
    }

    private long[] nativeIds(String text, boolean addSpecialTokens) {
        return direct ? directIds(text, addSpecialTokens) : djlIds(text, addSpecialTokens);
    }

    /** The ids through DJL's {@code encode}, with its Java-side text preparation. */
    long[] djlIds(String text, boolean addSpecialTokens) {
        return tokenizer.encode(text, addSpecialTokens, false).getIds();
    }

    /** The ids read straight from the native encoding. */
    long[] directIds(String text, boolean addSpecialTokens) {
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, addSpecialTokens);
        try {
            return TokenizersLibrary.LIB.getTokenIds(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    /** Most content tokens the model reads from one text; the rest is truncated. */
    int maxContentTokens() {
        return maxSequenceLength - 2;
    }

    /** {@code [CLS] text [SEP]} as ids, truncated to at most {@code maxSequenceLength} ids. */
    long[] encodeForModel(String text) {
        long[] ids = ids(text, true);
        if (ids.length <= maxSequenceLength) {
            return ids;
        }
        long[] truncated = Arrays.copyOf(ids, maxSequenceLength);
        truncated[maxSequenceLength - 1] = SEP_ID;
        return truncated;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** A growable list of ids. */
    private static final class Ids implements PlainWordPiece.IdSink {
        private long[] values;
        private int size;

        Ids(int capacity) {
            values = new long[Math.max(4, capacity)];
        }

        @Override
        public void add(long id) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = id;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
