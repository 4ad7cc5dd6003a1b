package dev.engram.bench;

import dev.engram.core.documents.ContainerTags;
import dev.engram.embeddings.MiniLmVariant;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The LoCoMo extraction benchmark's command line. Every option has a default; {@code ENGRAM_BASE_URL},
 * {@code ENGRAM_API_KEY} and {@code ENGRAM_EVAL_DATA} stand in for {@code --base-url}, {@code --api-key} and
 * {@code --data}.
 */
record LocomoOptions(
        URI baseUrl,
        String apiKey,
        Path data,
        int conversations,
        String runId,
        String dbUrl,
        String dbUser,
        String dbPassword,
        MiniLmVariant variant,
        int threads,
        int rawBatch,
        int concurrency,
        LocomoRun.Await await,
        Duration pace,
        Duration pollInterval,
        Duration timeout,
        Duration settle) {

    static final String USAGE = """
            Usage: ./engram bench locomo [options]
               or: java -cp benchmarks/target/engram-benchmarks.jar dev.engram.bench.LocomoBenchmark [options]

            Feeds LoCoMo conversations session by session to POST /v4/conversations, waits for memory-writer's
            extraction jobs, and reports memories produced, evidence turns covered by their provenance, and extraction
            throughput against the raw embedder on the same turns.

              --data DIR            the eval-data folder (env ENGRAM_EVAL_DATA; default ../shared/eval-data from the
                                    repository root); read at run time, never copied
              --conversations N     the first N conversations, 0 = all 10 (default 0)
              --base-url URL        Engram's Memory API (env ENGRAM_BASE_URL; default http://localhost:6767)
              --api-key KEY         API key (env ENGRAM_API_KEY; default engram-dev-key)
              --db-url URL          the stack's PostgreSQL (default jdbc:postgresql://127.0.0.1:5432/engram)
              --db-user USER        (default postgres)
              --db-password PASS    (default postgres)
              --run-id ID           part of every container tag, locomo-<run-id>-<conversation> (default a timestamp)
              --concurrency N       conversations fed at the same time (default 2)
              --await MODE          before a conversation's next session: queued (the writer queued the extraction
                                    of this one, so each session is a job of its own; default) or accepted (the
                                    request was answered; the writer may skip revisions superseded meanwhile)
              --pace DURATION       shortest time between two sessions of a conversation (default 500ms)
              --poll DURATION       pause between polls of the jobs table (default 1s)
              --timeout DURATION    limit for feeding and extraction together (default 30m)
              --settle DURATION     stop waiting when every conversation is done and no job changed for this long
                                    (default 2m)
              --variant V           embedding model of the baseline: quantized (the stack's default) or full
              --threads T           ONNX Runtime threads of the baseline, 0 = all processors (default 0)
              --raw-batch N         texts per embed call in the baseline (default 1024, the model's best, as in
                                    the ingest benchmark; the runs of 2026-11-28 used 64)
              --help                this text

            Exit status: 0 when every extraction job is done, 1 when a request, document or job failed or the run timed
            out, 2 for bad options, missing data or an unusable stack.
            """;

    /**
     * Parses {@code args} over the defaults.
     *
     * @throws IllegalArgumentException naming the offending option
     * @throws BenchmarkOptions.HelpRequested for {@code --help}
     */
    static LocomoOptions parse(String[] args, Map<String, String> env) throws BenchmarkOptions.HelpRequested {
        URI baseUrl = URI.create(env.getOrDefault("ENGRAM_BASE_URL", "http://localhost:6767"));
        String apiKey = env.getOrDefault("ENGRAM_API_KEY", "engram-dev-key");
        Path data = env.containsKey("ENGRAM_EVAL_DATA")
                ? Path.of(env.get("ENGRAM_EVAL_DATA"))
                : Path.of(env.getOrDefault("ENGRAM_REPO", "."))
                        .resolve("../shared/eval-data")
                        .normalize();
        int conversations = 0;
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String dbUrl = "jdbc:postgresql://127.0.0.1:5432/engram";
        String dbUser = "postgres";
        String dbPassword = "postgres";
        MiniLmVariant variant = MiniLmVariant.QUANTIZED;
        int threads = 0;
        int rawBatch = BenchmarkOptions.DEFAULT_RAW_BATCH;
        int concurrency = 2;
        LocomoRun.Await await = LocomoRun.Await.QUEUED;
        Duration pace = Duration.ofMillis(500);
        Duration poll = Duration.ofSeconds(1);
        Duration timeout = Duration.ofMinutes(30);
        Duration settle = Duration.ofMinutes(2);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new BenchmarkOptions.HelpRequested();
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--base-url" -> baseUrl = URI.create(value);
                case "--api-key" -> apiKey = value;
                case "--data" -> data = Path.of(value);
                case "--conversations" -> conversations = BenchmarkOptions.nonNegative(option, value);
                case "--run-id" -> runId = value;
                case "--db-url" -> dbUrl = value;
                case "--db-user" -> dbUser = value;
                case "--db-password" -> dbPassword = value;
                case "--variant" -> variant = MiniLmVariant.parse(value);
                case "--threads" -> threads = BenchmarkOptions.nonNegative(option, value);
                case "--raw-batch" -> rawBatch = BenchmarkOptions.positive(option, value);
                case "--concurrency" -> concurrency = BenchmarkOptions.positive(option, value);
                case "--await" -> await = LocomoRun.Await.parse(value);
                case "--pace" -> pace = BenchmarkOptions.duration(option, value);
                case "--poll" -> poll = BenchmarkOptions.duration(option, value);
                case "--timeout" -> timeout = BenchmarkOptions.duration(option, value);
                case "--settle" -> settle = BenchmarkOptions.duration(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("--base-url must be an http(s) URL, was " + baseUrl);
        }
        if (!dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db-url must be a jdbc:postgresql: URL, was " + dbUrl);
        }
        String longestTag = LocomoFeed.containerTag(runId, "conv-00");
        ContainerTags.problem(longestTag).ifPresent(problem -> {
            throw new IllegalArgumentException(
                    "--run-id makes container tags like '" + longestTag + "', which " + problem);
        });
        return new LocomoOptions(
                baseUrl,
                apiKey,
                data,
                conversations,
                runId,
                dbUrl,
                dbUser,
                dbPassword,
                variant,
                threads,
                rawBatch,
                concurrency,
                await,
                pace,
                poll,
                timeout,
                settle);
    }

    /** Keeps the key and the password out of logs. */
    @Override
    public String toString() {
        return "LocomoOptions[baseUrl=" + baseUrl + ", apiKey=***, data=" + data + ", conversations=" + conversations
                + ", runId=" + runId + ", await=" + await + ", dbUrl=" + dbUrl + ", dbPassword=***, variant=" + variant
                + "]";
    }
}
