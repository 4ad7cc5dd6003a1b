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
 *   <li>Warm-up (unless {@code --warm-up 0} or {@code --raw-only}): posts a few hundred documents of another corpus
 *       (seed + 1, ids and tags {@code <run-id>-warmup-…}) and waits for them, so the stack's JVMs have compiled their
 *       hot paths before anything is measured. Not counted.
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
        Optional<IngestRun.Outcome> warmUp = options.rawOnly() || options.warmUpDocuments() == 0
                ? Optional.empty()
                : Optional.of(warmUp(options, client, settings, err));
        MachineLoad load = MachineLoad.ofThisMachine();
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
        Map<String, Long> compilersBefore = jit.ticks();
        MachineLoad.Snapshot endToEndStart = load.snapshot();
        IngestRun.Outcome outcome = new IngestRun(client, settings, err::println).run(corpus, estimatedChunks);
        MachineLoad.Window endToEndLoad = load.since(endToEndStart);
        Optional<Map<String, Double>> compilers = jit.knowsProcesses()
                ? Optional.of(JitLoad.secondsBetween(compilersBefore, jit.ticks()))
                : Optional.empty();
        report.endToEnd(outcome, client.baseUrl().toString(), estimatedTotal, endToEndLoad);
        report.compilers(compilers, options.runDir());
        report.ratio(outcome, raw);
        return outcome.clean() ? OK : INCOMPLETE;
    }

    /**
     * Posts {@code --warm-up} documents of a corpus from the next seed, under {@code <run-id>-warmup}, and waits for
     * them: the stack's JVMs compile their hot paths here rather than during the measured run. Long documents are in
     * the measured corpus's proportion (at least one if it has any), so chunking runs warm too.
     */
    private static IngestRun.Outcome warmUp(
            BenchmarkOptions options, EngramClient client, IngestRun.Settings settings, PrintStream err) {
        int documents = options.warmUpDocuments();
        int longDocuments = 0;
        if (options.longDocuments() > 0) {
            double share = (double) options.longDocuments() / (options.shortDocuments() + options.longDocuments());
            longDocuments = (int) Math.min(documents, Math.max(1, Math.round(documents * share)));
        }
        // taskType superrag: indexed like the measured documents but queued for no memory extraction, which would
        // keep memory-writer busy for minutes after the warm-up (the baseline waits for a quiet machine). One in ten
        // is sent as the measured ones are, so that the paths queueing extraction are compiled here too: after a
        // warm-up of superrag documents only, the compilers still took 17-21 CPU-seconds of the measured run.
        List<CorpusGenerator.Document> generated = new CorpusGenerator(options.seed() + 1)
                .generate(documents - longDocuments, longDocuments, warmUpRunId(options), options.containerTags());
        List<CorpusGenerator.Document> corpus = new ArrayList<>(generated.size());
        for (int i = 0; i < generated.size(); i++) {
            corpus.add(
                    i % WARM_UP_MEMORY_EVERY == 0
                            ? generated.get(i)
                            : generated.get(i).withTaskType(WARM_UP_TASK_TYPE));
        }
        err.println(
                "warming the stack up with " + documents + " documents (" + longDocuments + " long, not counted) …");
        IngestRun.Outcome outcome =
                new IngestRun(client, settings, line -> err.println("warm-up: " + line)).run(corpus, Map.of());
        err.println("warm-up: " + outcome.done() + " of " + outcome.documents() + " documents done in "
                + Report.seconds(outcome.elapsed()) + (outcome.clean() ? "" : " (some failed or timed out)"));
        return outcome;
    }

    /** The warm-up's prefix of custom ids and container tags, distinct from the measured run's. */
    static String warmUpRunId(BenchmarkOptions options) {
        return options.runId() + "-warmup";
    }
}
