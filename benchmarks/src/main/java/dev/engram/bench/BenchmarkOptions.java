package dev.engram.bench;

import dev.engram.embeddings.MiniLmVariant;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The ingest benchmark's command line. Every option has a default; {@code ENGRAM_BASE_URL} and {@code ENGRAM_API_KEY}
 * stand in for {@code --base-url} and {@code --api-key}.
 */
record BenchmarkOptions(
        URI baseUrl,
        String apiKey,
        int shortDocuments,
        int longDocuments,
        long seed,
        int containerTags,
        String runId,
        MiniLmVariant variant,
        int threads,
        int rawBatch,
        int chunkTokens,
        int overlapTokens,
        int batchSize,
        int concurrency,
        Duration pollInterval,
        Duration timeout,
        int warmUpDocuments,
        Duration settle,
        boolean rawOnly,
        Path runDir) {

    /**
     * Texts per embed call in the baseline. The baseline is the model's best throughput on these texts: on the 2-core
     * machine, calls of 256, 1,024 and 4,096 texts ran at 216, 221 and 220 texts/s, calls of 64 at 183 to 204 (more
     * padding, and one thread idle at the end of every call), so the former default of 64 made the ratio look
     * about 10 to 15 % better than it is.
     */
    static final int DEFAULT_RAW_BATCH = 1024;

    static final String USAGE = """
            Usage: java -jar benchmarks/target/engram-benchmarks.jar [options]

            Measures the embedding model alone in this process, then the same corpus end to end through a running
            Engram stack, and prints both and their ratio. In order: checks the stack; warms it up with --warm-up
            documents of another corpus (not counted); waits, at most --settle, until other processes use less than
            0.25 cores; embeds the corpus in process (baseline); posts it to the stack (end to end). The table gives
            the cores other processes used during the baseline and the machine's busy cores during end to end.

              --base-url URL        Engram's Memory API (env ENGRAM_BASE_URL; default http://localhost:6767)
              --api-key KEY         API key (env ENGRAM_API_KEY; default engram-dev-key)
              --short N             short documents, 1-3 sentences each (default 10000)
              --long M              long Markdown documents, 2,000-4,000 words each (default 300)
              --seed S              corpus seed (default 42)
              --tags K              container tags to spread the documents over (default 16)
              --run-id ID           prefix of custom ids and tags (default bench-<timestamp>)
              --variant V           embedding model for the baseline: quantized (the stack's default) or full
              --threads T           ONNX Runtime threads for the baseline, 0 = all processors (default 0)
              --raw-batch N         texts per embed call in the baseline (default 1024: the model's best; calls
                                    of 64 ran about 15 % slower, which flattered the ratio)
              --chunk-tokens N      chunk size of the baseline's chunker, in model tokens (default 240,
                                    memory-writer's default)
              --overlap-tokens N    chunk overlap of the baseline's chunker (default 32, memory-writer's)
              --batch-size N        documents per POST /v3/documents/batch, 1-600 (default 600)
              --concurrency N       batch requests in flight (default 2; eight times as many single POSTs
                                    when the batch endpoint is absent)
              --poll DURATION       shortest pause between status polls (default 500ms)
              --timeout DURATION    limit for the end-to-end phase, and for the warm-up (default 30m)
              --warm-up N           documents posted and awaited first, so the stack's JVMs are warm; from seed S+1,
                                    custom ids and tags <run-id>-warmup-…, taskType superrag (no memory
                                    extraction) but for one in ten; 0 skips (default: as many as the measured
                                    corpus); then, once the machine is quiet, a tenth as many from seed S+2 at
                                    50 documents a second, so the JIT compiles what the busy first round put off
              --settle DURATION     longest wait before the baseline for other processes to use < 0.25 cores
                                    (two 2 s samples in a row; from /proc/stat); 0 skips (default 5m)
              --run-dir DIR         the launcher's pid files, to report the CPU the stack's JIT compilers use
                                    (default $ENGRAM_HOME/run, else .engram/run)
              --raw-only            measure the baseline only; no stack needed
              --help                this text

            Durations: 500ms, 30s, 20m, 1h or ISO-8601 (PT20M). Exit status: 0 when every document is done, 1 when
            any failed or timed out, 2 for bad options or an unreachable stack.
            """;

    /** Asked for {@code --help}. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super("help");
        }
    }

    /**
     * Parses {@code args} over the defaults.
     *
     * @throws IllegalArgumentException naming the offending option
     * @throws HelpRequested for {@code --help}
     */
    static BenchmarkOptions parse(String[] args, Map<String, String> env) throws HelpRequested {
        URI baseUrl = URI.create(env.getOrDefault("ENGRAM_BASE_URL", "http://localhost:6767"));
        String apiKey = env.getOrDefault("ENGRAM_API_KEY", "engram-dev-key");
        String home = env.get("ENGRAM_HOME");
        Path runDir = (home == null || home.isBlank() ? Path.of(".engram") : Path.of(home)).resolve("run");
        int shortDocuments = 10_000;
        int longDocuments = 300;
        long seed = 42;
        int tags = 16;
        String runId = "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        MiniLmVariant variant = MiniLmVariant.QUANTIZED;
        int threads = 0;
        int rawBatch = DEFAULT_RAW_BATCH;
        int chunkTokens = 240;
        int overlapTokens = 32;
        int batchSize = 600;
        int concurrency = 2;
        Duration poll = Duration.ofMillis(500);
        Duration timeout = Duration.ofMinutes(30);
        int warmUp = -1; // as many as the measured corpus
        Duration settle = Duration.ofMinutes(5);
        boolean rawOnly = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new HelpRequested();
            }
            if (option.equals("--raw-only")) {
                rawOnly = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--base-url" -> baseUrl = URI.create(value);
                case "--api-key" -> apiKey = value;
                case "--short" -> shortDocuments = nonNegative(option, value);
                case "--long" -> longDocuments = nonNegative(option, value);
                case "--seed" -> seed = parseLong(option, value);
                case "--tags" -> tags = positive(option, value);
                case "--run-id" -> runId = value;
                case "--variant" -> variant = MiniLmVariant.parse(value);
                case "--threads" -> threads = nonNegative(option, value);
                case "--raw-batch" -> rawBatch = positive(option, value);
                case "--run-dir" -> runDir = Path.of(value);
                case "--chunk-tokens" -> chunkTokens = positive(option, value);
                case "--overlap-tokens" -> overlapTokens = nonNegative(option, value);
                case "--batch-size" -> batchSize = positive(option, value);
                case "--concurrency" -> concurrency = positive(option, value);
                case "--poll" -> poll = duration(option, value);
                case "--timeout" -> timeout = duration(option, value);
                case "--warm-up" -> warmUp = nonNegative(option, value);
                case "--settle" -> settle = value.trim().equals("0") ? Duration.ZERO : duration(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        if (shortDocuments + longDocuments == 0) {
            throw new IllegalArgumentException("--short and --long are both 0: nothing to measure");
        }
        if (chunkTokens < 8 || overlapTokens > chunkTokens / 2) {
            throw new IllegalArgumentException(
                    "--chunk-tokens must be at least 8 and --overlap-tokens at most half of it (memory-writer's limits)");
        }
        if (batchSize > 600) {
            throw new IllegalArgumentException("--batch-size must be at most 600 (the API's limit)");
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("--base-url must be an http(s) URL, was " + baseUrl);
        }
        return new BenchmarkOptions(
                baseUrl,
                apiKey,
                shortDocuments,
                longDocuments,
                seed,
                tags,
                runId,
                variant,
                threads,
                rawBatch,
                chunkTokens,
                overlapTokens,
                batchSize,
                concurrency,
                poll,
                timeout,
                // A smaller warm-up left the JIT compilers busy in the measured run: after 300 documents they took
                // 30-40 CPU-seconds of it, after 3,000 still 33-36 (memory-writer's Lucene code, merges growing with
                // the index, most of it).
                warmUp < 0 ? shortDocuments + longDocuments : warmUp,
                settle,
                rawOnly,
                runDir);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "BenchmarkOptions[baseUrl=" + baseUrl + ", apiKey=***, short=" + shortDocuments + ", long="
                + longDocuments + ", seed=" + seed + ", runId=" + runId + ", variant=" + variant + ", warmUp="
                + warmUpDocuments
                + ", settle=" + settle + "]";
    }

    /** {@code 500ms}, {@code 30s}, {@code 20m}, {@code 1h}, or ISO-8601. */
    static Duration duration(String option, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    option + " takes a duration like 500ms, 30s or 20m, was '" + value + "'");
        }
    }

    static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, was '" + value + "'");
        }
    }

    static int nonNegative(String option, String value) {
        long number = parseLong(option, value);
        if (number < 0 || number > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be >= 0, was " + value);
        }
        return (int) number;
    }

    static int positive(String option, String value) {
        int number = nonNegative(option, value);
        if (number == 0) {
            throw new IllegalArgumentException(option + " must be >= 1");
        }
        return number;
    }
}
