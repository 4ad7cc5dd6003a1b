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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * A sentence-embedding model run in-process by ONNX Runtime, from the model file shipped in a Maven artifact (nothing
 * is downloaded): all-MiniLM-L6-v2 (the default, quantised) or bge-small-en-v1.5 ({@link MiniLmVariant}).
 * Sentence-transformers semantics: WordPiece tokens, the model's pooling (mean over the attention mask for MiniLM,
 * {@code [CLS]} for bge), L2 normalisation; 384 dimensions. {@link #embedQuery} adds the model's query instruction.
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
 * <p><b>Threads.</b> {@link Options#threads()} ONNX Runtime sessions (by default one per available processor), each
 * running single-threaded: one call's micro-batches are spread over them, the calling thread working on one and
 * daemon threads on the others, and concurrent callers each take a free session. Run by run this does more work per
 * second than one session whose intra-op pool splits every matrix across the cores: on this project's 2-core
 * machine two single-threaded sessions embedded 30 % more texts a second than one two-threaded session, and one
 * short query took 1.5 ms instead of 2 ms, because the layers of a small model over a few tokens are too short to
 * split without the threads waiting for each other at every step (and a thread the scheduler pre-empts makes its
 * partner wait). Threads not embedding sleep; nothing spins.
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
     * @param threads how many texts' micro-batches run at once, each on its own single-threaded ONNX Runtime
     *     session; {@code 0} means every available processor
     * @param maxBatchSize most texts in one model run (a longer list is split)
     * @param maxBatchTokens most padded tokens in one model run (texts times the longest one's length); a single
     *     text always runs, however long. Bounds the activations so a run stays in cache.
     * @param maxSequenceLength tokens read per text, markers included (3..512); longer texts are truncated
     */
    public record Options(
            MiniLmVariant variant, int threads, int maxBatchSize, int maxBatchTokens, int maxSequenceLength) {
        public Options {
            Objects.requireNonNull(variant, "variant");
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0 = all processors)");
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
        public Options withThreads(int count) {
            return new Options(variant, count, maxBatchSize, maxBatchTokens, maxSequenceLength);
        }

        /** The same options with other batch limits. */
        public Options withBatchLimits(int texts, int tokens) {
            return new Options(variant, threads, texts, tokens, maxSequenceLength);
        }

        /** The same options with another per-text token limit (markers included). */
        public Options withMaxSequenceLength(int tokens) {
            return new Options(variant, threads, maxBatchSize, maxBatchTokens, tokens);
        }

        /** The thread (and session) count actually used. */
        public int effectiveThreads() {
            return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        }
    }

    private final Options options;
    private final OrtEnvironment environment;
    /** Every session, to close them; {@link #idle} holds those not running a batch. */
    private final List<OrtSession> sessions;

    private final BlockingQueue<OrtSession> idle;
    private final ExecutorService helpers;
    private final int passagePrefixTokens;
    private final WordPieceTokenizer tokenizer;
    private final boolean takesTokenTypeIds;
    private final String outputName;
    /** CPU time of the threads while they ran the model, summed; see {@link #modelCpuTime()}. */
    private final AtomicLong modelCpuNanos = new AtomicLong();

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxMiniLmEmbedder(
            Options options,
            OrtEnvironment environment,
            List<OrtSession> sessions,
            WordPieceTokenizer tokenizer,
            boolean takesTokenTypeIds,
            String outputName) {
        this.options = options;
        this.environment = environment;
        this.sessions = List.copyOf(sessions);
        this.idle = new ArrayBlockingQueue<>(sessions.size(), false, sessions);
        this.helpers = sessions.size() == 1 ? null : Executors.newFixedThreadPool(sessions.size() - 1, daemon());
        this.passagePrefixTokens = tokenizer.countTokens(options.variant().passagePrefix());
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
        List<OrtSession> sessions = new ArrayList<>();
        try (SessionOptions sessionOptions = new SessionOptions()) {
            sessionOptions.setIntraOpNumThreads(1);
            sessionOptions.setInterOpNumThreads(1);
            sessionOptions.setExecutionMode(ExecutionMode.SEQUENTIAL);
            sessionOptions.setOptimizationLevel(OptLevel.ALL_OPT);
            for (int i = 0; i < options.effectiveThreads(); i++) {
                sessions.add(environment.createSession(model, sessionOptions));
            }
            OrtSession first = sessions.get(0);
            boolean takesTokenTypeIds = first.getInputNames().contains("token_type_ids");
            String outputName = first.getOutputNames().contains("last_hidden_state")
                    ? "last_hidden_state"
                    : first.getOutputNames().iterator().next();
            LOG.fine(() -> "loaded " + variant.modelId() + " in " + sessions.size() + " single-threaded sessions");
            return new OnnxMiniLmEmbedder(options, environment, sessions, tokenizer, takesTokenTypeIds, outputName);
        } catch (OrtException e) {
            closeAll(sessions);
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

    /**
     * The CPU time the model's runs took since this embedder was created, summed over the threads that ran them (the
     * caller's and the helpers'); tokenising is not part of it. Zero where the JVM cannot measure a thread's CPU time.
     * Lets an operator or a benchmark set the model's share against what the rest of a service costs.
     */
    public Duration modelCpuTime() {
        return Duration.ofNanos(modelCpuNanos.get());
    }

    /**
     * Most content tokens (as {@link #countTokens} counts them) the model reads from one text: the sequence length
     * less the markers and the model's passage prefix, if it has one (e5's {@code "passage: "}).
     */
    public int maxInputTokens() {
        return tokenizer.maxContentTokens() - passagePrefixTokens;
    }

    /**
     * True: every variant's tokenizer is BERT's (normalisation character by character, then a split at whitespace and
     * punctuation, then WordPiece within each word), so no token spans whitespace.
     */
    @Override
    public boolean countsAddUp() {
        return true;
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
        return embed(texts, options.variant().passagePrefix());
    }

    /** Embeds each text with {@code prefix} before it. */
    private List<float[]> embed(List<String> texts, String prefix) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            long[][] ids = new long[texts.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokenizer.encodeForModel(prefix + Objects.requireNonNull(texts.get(i), "texts[" + i + "]"));
            }
            Integer[] byLength = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
            Arrays.sort(byLength, Comparator.comparingInt(i -> ids[i].length));
            List<Integer[]> runs = new ArrayList<>();
            int from = 0;
            while (from < byLength.length) {
                // Sorted ascending, so the last member sets the padded width of the run.
                int to = from + 1;
                while (to < byLength.length
                        && to - from < options.maxBatchSize()
                        && (long) (to - from + 1) * ids[byLength[to]].length <= options.maxBatchTokens()) {
                    to++;
                }
                runs.add(Arrays.copyOfRange(byLength, from, to));
                from = to;
            }
            float[][] vectors = new float[ids.length][];
            runAll(ids, runs, vectors);
            return Arrays.asList(vectors);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** {@code (cos - floor) / (1 - floor)}, clamped to 0..1, with the model's {@link MiniLmVariant#cosineFloor()}. */
    @Override
    public double similarity(double cosine) {
        double floor = options.variant().cosineFloor();
        return CloseableTextEmbedder.super.similarity((cosine - floor) / (1.0 - floor));
    }

    /** The query with the model's query instruction before it (bge's, e5's), embedded. */
    @Override
    public float[] embedQuery(String query) {
        Objects.requireNonNull(query, "query");
        return embed(List.of(query), options.variant().queryInstruction()).get(0);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("embedder is closed");
        }
    }

    /**
     * Runs every micro-batch: the calling thread takes them one after another, and while more than one is left, up to
     * {@code threads - 1} helper threads take them too, each on a session of its own. Returns when all are done;
     * the first failure is rethrown.
     */
    private void runAll(long[][] ids, List<Integer[]> runs, float[][] vectors) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            if (next.get() >= runs.size()) {
                return; // nothing left by the time this helper started: do not hold a session for nothing
            }
            OrtSession session = take();
            long cpuBefore = threadCpuNanos();
            try {
                for (int run = next.getAndIncrement(); run < runs.size(); run = next.getAndIncrement()) {
                    runBatch(session, ids, runs.get(run), vectors);
                }
            } finally {
                idle.add(session);
                modelCpuNanos.addAndGet(Math.max(0, threadCpuNanos() - cpuBefore));
            }
        };
        int helping = helpers == null ? 0 : Math.min(sessions.size(), runs.size()) - 1;
        List<Future<?>> started = new ArrayList<>(helping);
        for (int i = 0; i < helping; i++) {
            started.add(helpers.submit(worker));
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
            next.set(runs.size()); // stop the helpers after their current batch
        }
        for (Future<?> helper : started) {
            try {
                helper.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new EmbeddingException("embedding thread failed", false, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next.set(runs.size());
                failure = new EmbeddingException("interrupted while embedding", true, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** This thread's CPU time, or 0 where it cannot be measured (then {@link #modelCpuTime()} stays 0). */
    private static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            return 0;
        }
        long nanos = threads.getCurrentThreadCpuTime();
        return nanos < 0 ? 0 : nanos;
    }

    private OrtSession take() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while waiting for a free ONNX session", true, e);
        }
    }

    private static ThreadFactory daemon() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "onnx-embedder-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeAll(List<OrtSession> sessions) {
        for (OrtSession session : sessions) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warning("closing ONNX session failed: " + e.getMessage());
            }
        }
    }

    /** Runs the model once on the texts at {@code members} and stores their pooled, normalised vectors. */
    private void runBatch(OrtSession session, long[][] ids, Integer[] members, float[][] vectors) {
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
                    vectors[members[row]] = options.variant().pooling() == MiniLmVariant.Pooling.CLS
                            ? firstToken(hidden, row, width)
                            : meanPool(hidden, row, width, ids[members[row]].length);
                }
            }
        } catch (OrtException e) {
            throw new EmbeddingException("ONNX Runtime failed on a batch of " + batch + " texts", false, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The {@code [CLS]} token's vector of {@code row}, L2-normalised. */
    private static float[] firstToken(FloatBuffer hidden, int row, int width) {
        float[] vector = new float[DIMENSION];
        hidden.get(row * width * DIMENSION, vector);
        return Vectors.normalise(vector);
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
            if (helpers != null) {
                helpers.shutdownNow();
            }
            closeAll(sessions);
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
        return "OnnxMiniLmEmbedder[" + modelId() + ", threads=" + options.effectiveThreads() + ", batch="
                + options.maxBatchSize() + " texts/" + options.maxBatchTokens() + " tokens, maxSequenceLength="
                + options.maxSequenceLength() + "]";
    }
}
