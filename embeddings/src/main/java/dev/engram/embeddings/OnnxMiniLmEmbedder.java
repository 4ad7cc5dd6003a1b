package dev.engram.embeddings;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.engram.core.embedding.EmbeddingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * all-MiniLM-L6-v2 run in-process by ONNX Runtime, from the model file shipped in a Maven artifact (nothing is
 * downloaded). Sentence-transformers semantics: WordPiece tokens, mean pooling over the attention mask, L2
 * normalisation; 384 dimensions.
 *
 * <p><b>Batching.</b> {@link #embed} tokenises the whole list, orders it by token length and runs the model on
 * micro-batches of at most {@link Options#maxBatchSize()} texts and {@link Options#maxBatchTokens()} padded tokens,
 * each padded only to its own longest member, so short and long texts do not pay for each other's padding, and long
 * texts run in small batches whose activations stay in cache. Results come back in input order. The
 * {@link MiniLmVariant#QUANTIZED quantized} graph quantises activations with one scale per run, so a text's vector
 * moves slightly with its batch neighbours (cosine at least 0.988 to the text embedded alone, for sentences); the
 * {@link MiniLmVariant#FULL full} graph's does not (1e-7).
 *
 * <p><b>Truncation and counting.</b> The model reads at most {@link Options#maxSequenceLength()} tokens per text
 * (256 by default, the length the model was trained with), {@code [CLS]} and {@code [SEP]} included; what follows is
 * dropped. {@link #countTokens} counts content tokens with the very tokenizer that builds the model input, so a text
 * with {@code countTokens(text) <= maxInputTokens()} is read whole.
 *
 * <p><b>Threads.</b> One ONNX Runtime session whose intra-op pool has {@link Options#intraOpThreads()} threads (by
 * default every available processor), whose idle threads sleep rather than spin, and no inter-op parallelism (the
 * graph is a sequence of layers). A single caller thus keeps all cores busy while it embeds and leaves them to the
 * rest of the process when it does not; concurrent callers are safe (ONNX Runtime sessions are thread-safe) and
 * share that pool.
 *
 * <p>Thread-safe. Close it to free the native session; {@link #embed} on a closed embedder throws.
 */
public final class OnnxMiniLmEmbedder implements CloseableTextEmbedder {

    /** Length of every vector. */
    public static final int DIMENSION = 384;

    /** Tokens the model reads per text by default, {@code [CLS]} and {@code [SEP]} included. */
    public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 256;

    /** The model's position embeddings stop here. */
    public static final int MODEL_MAX_SEQUENCE_LENGTH = 512;

    /** Texts per model run by default. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 32;

    /** Padded tokens (texts times the longest one's length) per model run by default. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 512;

    private static final Logger LOG = Logger.getLogger(OnnxMiniLmEmbedder.class.getName());

    /**
     * How the model runs.
     *
     * @param variant full or quantised weights
     * @param intraOpThreads ONNX Runtime intra-op threads; {@code 0} means every available processor
     * @param maxBatchSize most texts in one model run (a longer list is split)
     * @param maxBatchTokens most padded tokens in one model run (texts times the longest one's length); a single
     *     text always runs, however long. Bounds the activations so a run stays in cache.
     * @param maxSequenceLength tokens read per text, markers included (3..512); longer texts are truncated
     */
    public record Options(
            MiniLmVariant variant, int intraOpThreads, int maxBatchSize, int maxBatchTokens, int maxSequenceLength) {
        public Options {
            Objects.requireNonNull(variant, "variant");
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = all processors)");
            }
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be >= 1");
            }
            if (maxBatchTokens < 1) {
                throw new IllegalArgumentException("maxBatchTokens must be >= 1");
            }
            if (maxSequenceLength < 3 || maxSequenceLength > MODEL_MAX_SEQUENCE_LENGTH) {
                throw new IllegalArgumentException("maxSequenceLength must be in 3.." + MODEL_MAX_SEQUENCE_LENGTH);
            }
        }

        /** Defaults for {@code variant}: all processors, runs of at most 32 texts and 512 tokens, 256 per text. */
        public static Options defaults(MiniLmVariant variant) {
            return new Options(
                    variant, 0, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_TOKENS, DEFAULT_MAX_SEQUENCE_LENGTH);
        }

        /** The same options with another thread count ({@code 0} = all processors). */
        public Options withIntraOpThreads(int threads) {
            return new Options(variant, threads, maxBatchSize, maxBatchTokens, maxSequenceLength);
        }

        /** The same options with other batch limits. */
        public Options withBatchLimits(int texts, int tokens) {
            return new Options(variant, intraOpThreads, texts, tokens, maxSequenceLength);
        }

        /** The same options with another per-text token limit (markers included). */
        public Options withMaxSequenceLength(int tokens) {
            return new Options(variant, intraOpThreads, maxBatchSize, maxBatchTokens, tokens);
        }

        /** The intra-op thread count actually used. */
        public int effectiveIntraOpThreads() {
            return intraOpThreads == 0 ? Runtime.getRuntime().availableProcessors() : intraOpThreads;
        }
    }

    private final Options options;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final WordPieceTokenizer tokenizer;
    private final boolean takesTokenTypeIds;
    private final String outputName;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxMiniLmEmbedder(
            Options options,
            OrtEnvironment environment,
            OrtSession session,
            WordPieceTokenizer tokenizer,
            boolean takesTokenTypeIds,
            String outputName) {
        this.options = options;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.takesTokenTypeIds = takesTokenTypeIds;
        this.outputName = outputName;
    }

    /** Loads {@code variant} with default options. */
    public static OnnxMiniLmEmbedder create(MiniLmVariant variant) {
        return create(Options.defaults(variant));
    }

    /**
     * Loads the model and tokenizer from the class path (a second or so).
     *
     * @throws IllegalStateException if the variant's artifact is not on the class path or the model cannot load
     */
    public static OnnxMiniLmEmbedder create(Options options) {
        Objects.requireNonNull(options, "options");
        MiniLmVariant variant = options.variant();
        byte[] model = readResource(variant, variant.modelResource());
        WordPieceTokenizer tokenizer;
        try (InputStream json = openResource(variant, variant.tokenizerResource())) {
            tokenizer = WordPieceTokenizer.load(json, options.maxSequenceLength());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read tokenizer " + variant.tokenizerResource(), e);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (SessionOptions sessionOptions = new SessionOptions()) {
            sessionOptions.setIntraOpNumThreads(options.effectiveIntraOpThreads());
            sessionOptions.setInterOpNumThreads(1);
            sessionOptions.setExecutionMode(ExecutionMode.SEQUENTIAL);
            sessionOptions.setOptimizationLevel(OptLevel.ALL_OPT);
            // Idle pool threads sleep instead of spinning: on a shared machine spinning cost 30-50% more CPU per text
            // for no gain in throughput (measured; see the README), CPU the rest of the pipeline needs.
            sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = environment.createSession(model, sessionOptions);
            boolean takesTokenTypeIds = session.getInputNames().contains("token_type_ids");
            String outputName = session.getOutputNames().contains("last_hidden_state")
                    ? "last_hidden_state"
                    : session.getOutputNames().iterator().next();
            LOG.fine(() ->
                    "loaded " + variant.modelId() + " with " + options.effectiveIntraOpThreads() + " intra-op threads");
            return new OnnxMiniLmEmbedder(options, environment, session, tokenizer, takesTokenTypeIds, outputName);
        } catch (OrtException e) {
            tokenizer.close();
            throw new IllegalStateException("cannot load ONNX model " + variant.modelResource(), e);
        }
    }

    @Override
    public String modelId() {
        return options.variant().modelId();
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    /** The options this embedder runs with. */
    public Options options() {
        return options;
    }

    /** Most content tokens (as {@link #countTokens} counts them) the model reads from one text. */
    public int maxInputTokens() {
        return tokenizer.maxContentTokens();
    }

    /**
     * Counts WordPiece tokens in {@code text}, without the {@code [CLS]}/{@code [SEP]} markers and before truncation:
     * the model reads the first {@link #maxInputTokens()} of them.
     *
     * @throws IllegalStateException if this embedder is closed
     */
    @Override
    public int countTokens(String text) {
        Objects.requireNonNull(text, "text");
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return tokenizer.countTokens(text);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Embeds {@code texts} (any number; split into model runs as {@link Options} says). An empty
     * list returns an empty list without running the model; an empty string embeds as {@code [CLS] [SEP]}.
     *
     * @throws NullPointerException if the list or an element is null
     * @throws EmbeddingException (not retriable) if ONNX Runtime fails
     * @throws IllegalStateException if this embedder is closed
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            long[][] ids = new long[texts.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokenizer.encodeForModel(Objects.requireNonNull(texts.get(i), "texts[" + i + "]"));
            }
            Integer[] byLength = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
            Arrays.sort(byLength, Comparator.comparingInt(i -> ids[i].length));
            float[][] vectors = new float[ids.length][];
            int from = 0;
            while (from < byLength.length) {
                // Sorted ascending, so the last member sets the padded width of the run.
                int to = from + 1;
                while (to < byLength.length
                        && to - from < options.maxBatchSize()
                        && (long) (to - from + 1) * ids[byLength[to]].length <= options.maxBatchTokens()) {
                    to++;
                }
                runBatch(ids, Arrays.copyOfRange(byLength, from, to), vectors);
                from = to;
            }
            return Arrays.asList(vectors);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("embedder is closed");
        }
    }

    /** Runs the model once on the texts at {@code members} and stores their pooled, normalised vectors. */
    private void runBatch(long[][] ids, Integer[] members, float[][] vectors) {
        int batch = members.length;
        int width = 0;
        for (int member : members) {
            width = Math.max(width, ids[member].length);
        }
        long[] inputIds = new long[batch * width];
        long[] mask = new long[batch * width];
        for (int row = 0; row < batch; row++) {
            long[] sequence = ids[members[row]];
            System.arraycopy(sequence, 0, inputIds, row * width, sequence.length);
            Arrays.fill(mask, row * width, row * width + sequence.length, 1L);
        }
        long[] shape = {batch, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (takesTokenTypeIds) {
                inputs.put(
                        "token_type_ids",
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[batch * width]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxValue output = result.get(outputName)
                        .orElseThrow(() -> new EmbeddingException("model returned no " + outputName, false, null));
                FloatBuffer hidden = ((OnnxTensor) output).getFloatBuffer();
                for (int row = 0; row < batch; row++) {
                    vectors[members[row]] = meanPool(hidden, row, width, ids[members[row]].length);
                }
            }
        } catch (OrtException e) {
            throw new EmbeddingException("ONNX Runtime failed on a batch of " + batch + " texts", false, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Mean of the first {@code length} token vectors of {@code row} (the unpadded ones), L2-normalised. */
    private static float[] meanPool(FloatBuffer hidden, int row, int width, int length) {
        float[] sum = new float[DIMENSION];
        int base = row * width * DIMENSION;
        for (int token = 0; token < length; token++) {
            int offset = base + token * DIMENSION;
            for (int d = 0; d < DIMENSION; d++) {
                sum[d] += hidden.get(offset + d);
            }
        }
        // Dividing by the length would not change the direction; normalising alone gives the same unit vector.
        return Vectors.normalise(sum);
    }

    /** Frees the native session and tokenizer once no call is running; later calls to {@link #embed} throw. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warning("closing ONNX session failed: " + e.getMessage());
            }
            tokenizer.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static InputStream openResource(MiniLmVariant variant, String name) {
        InputStream in = OnnxMiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("model resource " + name + " is not on the class path; add the Maven"
                    + " dependency dev.langchain4j:" + variant.artifactId() + " for variant " + variant);
        }
        return in;
    }

    private static byte[] readResource(MiniLmVariant variant, String name) {
        try (InputStream in = openResource(variant, name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read model resource " + name, e);
        }
    }

    @Override
    public String toString() {
        return "OnnxMiniLmEmbedder[" + modelId() + ", threads=" + options.effectiveIntraOpThreads() + ", batch="
                + options.maxBatchSize() + " texts/" + options.maxBatchTokens() + " tokens, maxSequenceLength="
                + options.maxSequenceLength() + "]";
    }
}
