package dev.engram.embeddings;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

    private final HuggingFaceTokenizer tokenizer;
    private final int maxSequenceLength;
    private final boolean direct;

    private WordPieceTokenizer(HuggingFaceTokenizer tokenizer, int maxSequenceLength) {
        this.tokenizer = tokenizer;
        this.maxSequenceLength = maxSequenceLength;
        this.direct = PROBES.stream()
                .allMatch(probe -> Arrays.equals(directIds(probe, true), djlIds(probe, true))
                        && Arrays.equals(directIds(probe, false), djlIds(probe, false)));
    }

    /** Loads a {@code tokenizer.json}, overriding the file's own truncation and padding settings (we do both). */
    static WordPieceTokenizer load(InputStream tokenizerJson, int maxSequenceLength) throws IOException {
        if (maxSequenceLength < 3) {
            throw new IllegalArgumentException("maxSequenceLength must leave room for [CLS] text [SEP]");
        }
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                tokenizerJson,
                Map.of(
                        "addSpecialTokens", "true",
                        "truncation", "false",
                        "padding", "false"));
        WordPieceTokenizer loaded = new WordPieceTokenizer(tokenizer, maxSequenceLength);
        long[] probe = tokenizer.encode("a", true, false).getIds();
        if (probe.length != 3 || probe[0] != CLS_ID || probe[probe.length - 1] != SEP_ID) {
            loaded.close();
            throw new IllegalStateException("tokenizer does not frame sequences as [CLS] text [SEP]");
        }
        return loaded;
    }

    /** Content tokens in {@code text}, without the two sequence markers, before any truncation. */
    int countTokens(String text) {
        return ids(text, false).length;
    }

    /** Whether ids are read straight from the native encoding (see the class comment). */
    boolean direct() {
        return direct;
    }

    private long[] ids(String text, boolean addSpecialTokens) {
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
        long[] truncated = java.util.Arrays.copyOf(ids, maxSequenceLength);
        truncated[maxSequenceLength - 1] = SEP_ID;
        return truncated;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
