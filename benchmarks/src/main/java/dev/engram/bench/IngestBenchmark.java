package dev.engram.bench;

import dev.engram.chunking.Chunk;
import dev.engram.chunking.Chunker;
import dev.engram.chunking.ChunkerConfig;
import dev.engram.chunking.TokenCounter;
import dev.engram.embeddings.OnnxMiniLmEmbedder;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ingestion bar (DESIGN.md §6): pipeline throughput against the raw throughput of the same embedding model on the
 * same machine, in one run.
 *
 * <ol>
 *   <li>Checks that the stack answers (unless {@code --raw-only}), so a missing stack fails in a second, not after
 *       the baseline.
 *   <li>Generates a deterministic corpus of short and long documents.
 *   <li>Warm-up (unless {@code --warm-up 0} or {@code --raw-only}): posts as many documents of another corpus as the
 *       measured one has (seed + 1, ids and tags {@code <run-id>-warmup-…}) and waits for them, so the stack's JVMs
 *       have compiled their hot paths before anything is measured; once the machine is quiet, a tenth as many again,
 *       slowly ({@link #secondRoundDocuments}). Not counted.
 *   <li>Waits, at most {@code --settle}, until other processes use under a quarter of a core ({@link MachineLoad}),
 *       e.g. until memory-writer has worked off the extraction jobs the warm-up or an earlier run left.
 *   <li>Baseline: embeds, in this process, the texts the pipeline will embed (every document cut by memory-writer's
 *       own chunker, the {@code chunking} module) with the stack's model and variant, in calls of {@code --raw-batch}
 *       texts.
 *   <li>End to end: posts the corpus through the Memory API and waits until every document is done or failed.
 *   <li>Prints the figures, the machine's load during each phase, and the ratio of end-to-end embedded texts (chunks)
 *       per second to raw texts per second.
 * </ol>
 *
 * <p>Run {@code java -jar benchmarks/target/engram-benchmarks.jar --help} for the options.
 */
public final class IngestBenchmark {

    /** Exit status when every document is done. */
    static final int OK = 0;

    /** Exit status when a document failed, was rejected or timed out. */
    static final int INCOMPLETE = 1;

    /** Exit status for bad options or an unusable stack. */
    static final int UNUSABLE = 2;

    /** Most of the warm-up's documents are for retrieval only: no memory extraction is queued for them. */
    static final String WARM_UP_TASK_TYPE = "superrag";

    /**
     * Every this many warm-up documents, one is sent as the measured ones are (no {@code taskType}: memories too), so
     * the code that queues memory extraction runs warm as well.
     */
    static final int WARM_UP_MEMORY_EVERY = 10;

    /** Held so the level sticks: the tokenizer library warns about probing for CUDA on every machine without it. */
    private static final Logger DJL_LOG = Logger.getLogger("ai.djl");

    private IngestBenchmark() {}

    public static void main(String[] args) {
        DJL_LOG.setLevel(Level.SEVERE);
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args, env);
        } catch (BenchmarkOptions.HelpRequested e) {
            out.print(BenchmarkOptions.USAGE);
            return OK;
        } catch (IllegalArgumentException e) {
            err.println("engram bench ingest: " + e.getMessage());
            return UNUSABLE;
        }
        try (EngramClient client = new EngramClient(options.baseUrl(), options.apiKey(), Duration.ofSeconds(30))) {
            if (!options.rawOnly()) {
                try {
                    client.checkReachable();
                } catch (EngramClient.StackUnavailableException e) {
                    err.println("engram bench ingest: " + e.getMessage());
                    return UNUSABLE;
                }
            }
            return measure(options, client, out, err);
        }
    }

    private static int measure(BenchmarkOptions options, EngramClient client, PrintStream out, PrintStream err) {
        err.println("generating corpus …");
        List<CorpusGenerator.Document> corpus = new CorpusGenerator(options.seed())
                .generate(options.shortDocuments(), options.longDocuments(), options.runId(), options.containerTags());
        IngestRun.Settings settings = new IngestRun.Settings(
                options.batchSize(), options.concurrency(), 16, options.pollInterval(), options.timeout());
        MachineLoad load = MachineLoad.ofThisMachine();
        List<IngestRun.Outcome> warmUp = new ArrayList<>();
        if (!options.rawOnly() && options.warmUpDocuments() > 0) {
            warmUp.add(warmUp(options, client, settings, err, 1, options.warmUpDocuments()));
            // Once the machine is quiet, a short second round: the compilations the busy first round put off.
            load.awaitQuiet(options.settle(), line -> err.println("warm-up: " + line));
            warmUp.add(warmUp(
                    options,
                    client,
                    settings.paced(SECOND_ROUND_BATCH, SECOND_ROUND_PACE),
                    err,
                    2,
                    secondRoundDocuments(options)));
        }
        Report report = new Report(out);
        RawEmbeddingBenchmark.Result raw;
        MachineLoad.Window baselineLoad;
        Map<String, Integer> estimatedChunks = new HashMap<>();
        long estimatedTotal;
        err.println("loading " + options.variant() + " model …");
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.create(
                OnnxMiniLmEmbedder.Options.defaults(options.variant()).withThreads(options.threads()))) {
            // memory-writer's own chunker, sized as the stack's is by default: the baseline embeds the texts the
            // pipeline will (the report sets its count beside the pipeline's).
            Chunker chunker = new Chunker(
                    ChunkerConfig.of(options.chunkTokens(), options.overlapTokens()),
                    TokenCounter.of(embedder::countTokens, embedder.countsAddUp()));
            List<String> texts = new ArrayList<>();
            int shortTexts = 0;
            for (CorpusGenerator.Document document : corpus) {
                List<String> chunks = chunker.chunk(document.content()).stream()
                        .map(Chunk::text)
                        .toList();
                estimatedChunks.put(document.customId(), chunks.size());
                texts.addAll(chunks);
                if (document.kind() == CorpusGenerator.Kind.SHORT) {
                    shortTexts += chunks.size();
                }
            }
            estimatedTotal = texts.size();
            report.header(options, warmUp, texts.size(), shortTexts, texts.size() - shortTexts);
            report.settling(load.awaitQuiet(options.settle(), err::println));
            err.println("embedding " + texts.size() + " texts in process (baseline) …");
            MachineLoad.Snapshot baselineStart = load.snapshot();
            raw = RawEmbeddingBenchmark.run(embedder, texts, options.rawBatch());
            baselineLoad = load.since(baselineStart);
        }
        report.raw(raw, baselineLoad);
        if (options.rawOnly()) {
            report.footer();
            return OK;
        }
        err.println("posting " + corpus.size() + " documents to " + client.baseUrl() + " …");
        JitLoad jit = JitLoad.ofStack(options.runDir());
        Optional<ModelCpu> model = ModelCpu.ofStack(options.runDir());
        StackReading before = StackReading.take(load, jit, model);
        // The phase's load is read when the stack's work ends, not after the statuses are read one by one.
        AtomicReference<StackReading> atEnd = new AtomicReference<>();
        IngestRun.Outcome outcome = new IngestRun(client, settings, err::println)
                .run(corpus, estimatedChunks, () -> atEnd.set(StackReading.take(load, jit, model)));
        StackReading after = atEnd.get() != null ? atEnd.get() : StackReading.take(load, jit, model);
        MachineLoad.Window endToEndLoad = MachineLoad.between(before.machine(), after.machine());
        OptionalDouble modelSeconds = ModelCpu.between(before.model(), after.model());
        Optional<Map<String, Double>> compilers = jit.knowsProcesses()
                ? Optional.of(JitLoad.secondsBetween(before.compilers(), after.compilers()))
                : Optional.empty();
        report.endToEnd(outcome, client.baseUrl().toString(), estimatedTotal, endToEndLoad);
        report.compilers(compilers, options.runDir());
        report.model(modelSeconds, endToEndLoad);
        report.ratio(outcome, raw);
        return outcome.clean() ? OK : INCOMPLETE;
    }

    /** The machine's, the stack's compilers' and its model's counters at one moment. */
    private record StackReading(MachineLoad.Snapshot machine, Map<String, Long> compilers, OptionalDouble model) {

        static StackReading take(MachineLoad load, JitLoad jit, Optional<ModelCpu> model) {
            return new StackReading(
                    load.snapshot(), jit.ticks(), model.map(ModelCpu::seconds).orElse(OptionalDouble.empty()));
        }
    }

    /** Documents per request in the warm-up's second round. */
    static final int SECOND_ROUND_BATCH = 10;

    /** Pause between the second round's requests: 50 documents a second, a fraction of what the stack can take. */
    static final Duration SECOND_ROUND_PACE = Duration.ofMillis(200);

    /**
     * Documents of the warm-up's second round: a tenth of the first (at least one), posted slowly.
     *
     * <p>Why: while a round keeps both cores busy, the JIT's queue of C2 compilations stays long, and HotSpot's tiered
     * policy raises the threshold for the final tier with the queue's length ({@code -XX:Tier4LoadFeedback}). So
     * methods run once per document or per record (request validation, the chunker, event parsing, Kafka's record
     * encoding) stayed at the profiling tier through a warm-up of 10,300 documents, and were compiled in the first
     * seconds of the measured run, when a quiet machine's empty queue let them all cross the unscaled threshold at once:
     * compilation logs showed 225 final-tier compilations in ingest-service and 105 in memory-writer in the run's first
     * 10 s, nearly all of methods at the profiling tier since the warm-up's start. A second round posted as fast as the
     * first did not help (it compiled 70-107 of them before its own load filled the queue again). Posted at a rate
     * that leaves the machine mostly idle, the queue stays short and they are compiled before the clock starts.
     */
    static int secondRoundDocuments(BenchmarkOptions options) {
        return Math.max(1, options.warmUpDocuments() / 10);
    }

    /**
     * Posts {@code documents} documents of a corpus from seed {@code S + round}, under {@code <run-id>-warmup} (round 1)
     * or {@code <run-id>-warmup<round>}, and waits for them: the stack's JVMs compile their hot paths here rather than
     * during the measured run. Long documents are in the measured corpus's proportion (at least one if it has any), so
     * chunking runs warm too.
     */
    private static IngestRun.Outcome warmUp(
            BenchmarkOptions options,
            EngramClient client,
            IngestRun.Settings settings,
            PrintStream err,
            int round,
            int documents) {
        int longDocuments = 0;
        if (options.longDocuments() > 0) {
            double share = (double) options.longDocuments() / (options.shortDocuments() + options.longDocuments());
            longDocuments = (int) Math.min(documents, Math.max(1, Math.round(documents * share)));
        }
        // taskType superrag: indexed like the measured documents but queued for no memory extraction, which would
        // keep memory-writer busy for minutes after the warm-up (the baseline waits for a quiet machine). One in ten
        // is sent as the measured ones are, so that the paths queueing extraction are compiled here too: after a
        // warm-up of superrag documents only, the compilers still took 17-21 CPU-seconds of the measured run.
        List<CorpusGenerator.Document> generated = new CorpusGenerator(options.seed() + round)
                .generate(
                        documents - longDocuments, longDocuments, warmUpRunId(options, round), options.containerTags());
        List<CorpusGenerator.Document> corpus = new ArrayList<>(generated.size());
        for (int i = 0; i < generated.size(); i++) {
            corpus.add(
                    i % WARM_UP_MEMORY_EVERY == 0
                            ? generated.get(i)
                            : generated.get(i).withTaskType(WARM_UP_TASK_TYPE));
        }
        err.println("warming the stack up" + (round == 1 ? "" : ", round " + round) + ", with " + documents
                + " documents (" + longDocuments + " long, not counted) …");
        IngestRun.Outcome outcome =
                new IngestRun(client, settings, line -> err.println("warm-up: " + line)).run(corpus, Map.of());
        err.println("warm-up: " + outcome.done() + " of " + outcome.documents() + " documents done in "
                + Report.seconds(outcome.elapsed()) + (outcome.clean() ? "" : " (some failed or timed out)"));
        return outcome;
    }

    /** The warm-up's prefix of custom ids and container tags in {@code round}, distinct from the measured run's. */
    static String warmUpRunId(BenchmarkOptions options, int round) {
        return options.runId() + "-warmup" + (round == 1 ? "" : Integer.toString(round));
    }
}
