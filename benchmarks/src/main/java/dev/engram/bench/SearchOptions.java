package dev.engram.bench;

import dev.engram.embeddings.MiniLmVariant;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The search benchmark's command line. Every option has a default; {@code ENGRAM_BASE_URL} and {@code ENGRAM_API_KEY}
 * stand in for {@code --base-url} and {@code --api-key}.
 *
 * @param memories memories in the searched tag (the other tag gets a tenth as many)
 * @param queries timed queries
 * @param warmUp untimed queries first, over HTTP and in the baseline alike
 * @param concurrency searches in flight over HTTP
 * @param threads ONNX Runtime threads for the baseline, 0 = all processors
 * @param load whether to load the memories ({@code false}: the run id's tags already hold them, from an earlier run
 *     with the same {@code memories} and {@code seed})
 * @param baseline whether to measure the in-process baseline (without it there are no ratios)
 */
record SearchOptions(
        URI baseUrl,
        String apiKey,
        int memories,
        int queries,
        int warmUp,
        int concurrency,
        long seed,
        String runId,
        MiniLmVariant variant,
        int threads,
        boolean load,
        boolean baseline) {

    static final String USAGE = """
            Usage: ./engram bench search [options]
                   java -cp benchmarks/target/engram-benchmarks.jar dev.engram.bench.SearchBenchmark [options]

            Loads memories into a fresh container tag through POST /v4/memories, times POST /v4/search over HTTP
            (query embedding included), and times the same model and a Lucene HNSW index doing the same work in
            this process as the baseline; prints both and their ratios.

              --base-url URL        Engram's Memory API (env ENGRAM_BASE_URL; default http://localhost:6767)
              --api-key KEY         API key (env ENGRAM_API_KEY; default engram-dev-key)
              --memories N          memories in the searched tag (default 10000; a second tag gets N/10)
              --queries Q           timed queries, all distinct texts (default 500)
              --warm-up W           untimed queries first (default 500)
              --concurrency C       searches in flight over HTTP (default 1)
              --seed S              corpus seed (default 42)
              --run-id ID           prefix of the container tags (default search-<timestamp>)
              --variant V           embedding model for the baseline: quantized (the stack's default) or full
              --threads T           ONNX Runtime threads for the baseline, 0 = all processors (default 0)
              --load fresh|skip     skip: search the tags of --run-id as an earlier run with the same --memories and
                                    --seed loaded them, without loading again (default fresh)
              --baseline run|skip   skip: no in-process baseline and so no ratios (default run)
              --help                this text

            Exit status: 0 when every search answered 200, 1 when any failed, 2 for bad options or an unreachable
            stack.
            """;

    /**
     * Parses {@code args} over the defaults.
     *
     * @throws IllegalArgumentException naming the offending option
     * @throws BenchmarkOptions.HelpRequested for {@code --help}
     */
    static SearchOptions parse(String[] args, Map<String, String> env) throws BenchmarkOptions.HelpRequested {
        URI baseUrl = URI.create(env.getOrDefault("ENGRAM_BASE_URL", "http://localhost:6767"));
        String apiKey = env.getOrDefault("ENGRAM_API_KEY", "engram-dev-key");
        int memories = 10_000;
        int queries = 500;
        int warmUp = 500;
        int concurrency = 1;
        long seed = 42;
        String runId = "search-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        MiniLmVariant variant = MiniLmVariant.QUANTIZED;
        int threads = 0;
        boolean load = true;
        boolean baseline = true;
        boolean runIdGiven = false;
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
                case "--memories" -> memories = BenchmarkOptions.positive(option, value);
                case "--queries" -> queries = BenchmarkOptions.positive(option, value);
                case "--warm-up" -> warmUp = BenchmarkOptions.nonNegative(option, value);
                case "--concurrency" -> concurrency = BenchmarkOptions.positive(option, value);
                case "--seed" -> seed = BenchmarkOptions.parseLong(option, value);
                case "--run-id" -> {
                    runId = value;
                    runIdGiven = true;
                }
                case "--variant" -> variant = MiniLmVariant.parse(value);
                case "--threads" -> threads = BenchmarkOptions.nonNegative(option, value);
                case "--load" -> load = choice(option, value, "fresh", "skip");
                case "--baseline" -> baseline = choice(option, value, "run", "skip");
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        if (concurrency > 64) {
            throw new IllegalArgumentException("--concurrency must be at most 64");
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("--base-url must be an http(s) URL, was " + baseUrl);
        }
        if (!load && !runIdGiven) {
            throw new IllegalArgumentException("--load skip needs the --run-id of the run that loaded the memories");
        }
        return new SearchOptions(
                baseUrl, apiKey, memories, queries, warmUp, concurrency, seed, runId, variant, threads, load, baseline);
    }

    /** True for {@code yes}, false for {@code no}, else a reason naming the option. */
    private static boolean choice(String option, String value, String yes, String no) {
        if (value.equals(yes)) {
            return true;
        }
        if (value.equals(no)) {
            return false;
        }
        throw new IllegalArgumentException(option + " must be " + yes + " or " + no + ", was " + value);
    }

    /** The searched tag. */
    String searchedTag() {
        return runId + "-a";
    }

    /** The other tag, so tag isolation has something to exclude. */
    String otherTag() {
        return runId + "-b";
    }

    /** Memories in the other tag. */
    int otherMemories() {
        return memories / 10;
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "SearchOptions[baseUrl=" + baseUrl + ", apiKey=***, memories=" + memories + ", queries=" + queries
                + ", concurrency=" + concurrency + ", runId=" + runId + ", load=" + load + ", baseline=" + baseline
                + "]";
    }
}
