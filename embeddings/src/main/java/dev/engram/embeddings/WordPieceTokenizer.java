package dev.engram.embeddings;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The model's own WordPiece tokenizer (the HuggingFace {@code tokenizer.json} shipped beside the ONNX graph), used
 * both to count tokens and to build model inputs, so the count a chunker sees is exactly what the model reads.
 *
 * <p>The tokenizer itself never truncates or pads; {@link #encodeForModel} truncates explicitly to
 * {@code maxSequenceLength} ids, special tokens included, keeping the first {@code maxSequenceLength - 2} content
 * tokens (what HuggingFace's right-truncation does for a single sequence). Thread-safe: the native tokenizer is
 * immutable once loaded.
 */
final class WordPieceTokenizer implements AutoCloseable {

    /** Ids the BERT uncased vocabulary gives its sequence markers (checked against the loaded file). */
    static final long CLS_ID = 101;

    static final long SEP_ID = 102;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxSequenceLength;

    private WordPieceTokenizer(HuggingFaceTokenizer tokenizer, int maxSequenceLength) {
        this.tokenizer = tokenizer;
        this.maxSequenceLength = maxSequenceLength;
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
        return tokenizer.encode(text, false, false).getIds().length;
    }

    /** Most content tokens the model reads from one text; the rest is truncated. */
    int maxContentTokens() {
        return maxSequenceLength - 2;
    }

    /** {@code [CLS] text [SEP]} as ids, truncated to at most {@code maxSequenceLength} ids. */
    long[] encodeForModel(String text) {
        long[] ids = tokenizer.encode(text, true, false).getIds();
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
