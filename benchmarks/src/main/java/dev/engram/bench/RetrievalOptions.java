package dev.engram.bench;

import dev.engram.core.documents.ContainerTags;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The retrieval evaluation's command line. Every option has a default; {@code ENGRAM_BASE_URL},
 * {@code ENGRAM_API_KEY} and {@code ENGRAM_EVAL_DATA} stand in for {@code --base-url}, {@code --api-key} and
 * {@code --data}.
 *
 * @param conversations the first N conversations, 0 = all
 * @param modes the retrieval modes to ask in, in order, without repeats
 */
record RetrievalOptions(
        URI baseUrl,
        String apiKey,
        Path data,
        int conversations,
        List<Mode> modes,
        String runId,
        Duration pollInterval,
        Duration timeout) {

    /** Search-service's retrieval modes (the {@code retrieval} field of {@code POST /v3/search}). */
    enum Mode {
        HYBRID,
        DENSE,
        LEXICAL;

        /** The value of the {@code retrieval} field, e.g. {@code dense}. */
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Mode parse(String value) {
            for (Mode mode : values()) {
                if (mode.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--modes takes hybrid, dense and lexical, was '" + value + "'");
        }
    }

    static final String USAGE = """
            Usage: ./engram bench retrieval [options]
               or: java -cp benchmarks/target/engram-benchmarks.jar dev.engram.bench.RetrievalBenchmark [options]

            Adds every LoCoMo turn as a document (a container tag per conversation), asks every question of categories
            1-4 with POST /v3/search in each retrieval mode, and prints recall@1/5/10 (any and all evidence turns in
            the top k), nDCG@10 and MRR per mode and category, and each mode's search latency.

              --data DIR            the eval-data folder (env ENGRAM_EVAL_DATA; default ../shared/eval-data from the
                                    repository root); read at run time, never copied
              --conversations N     the first N conversations, 0 = all 10 (default 0)
              --modes LIST          retrieval modes, comma-separated: hybrid, dense, lexical (default all three)
              --base-url URL        Engram's Memory API (env ENGRAM_BASE_URL; default http://localhost:6767)
              --api-key KEY         API key (env ENGRAM_API_KEY; default engram-dev-key)
              --run-id ID           prefix of container tags (<run-id>-conv<n>) and custom ids
                                    (default retrieval-<timestamp>)
              --poll DURATION       shortest pause between polls of the processing list (default 500ms)
              --timeout DURATION    limit for adding the documents and waiting for them (default 30m)
              --help                this text

            Exit status: 0 when every document was added and every search answered, 1 when a document failed or timed
            out, a search failed or a mode is unavailable, 2 for bad options, missing data or an unusable stack.
            """;

    RetrievalOptions {
        modes = List.copyOf(modes);
    }

    /**
     * Parses {@code args} over the defaults.
     *
     * @throws IllegalArgumentException naming the offending option
     * @throws BenchmarkOptions.HelpRequested for {@code --help}
     */
    static RetrievalOptions parse(String[] args, Map<String, String> env) throws BenchmarkOptions.HelpRequested {
        URI baseUrl = URI.create(env.getOrDefault("ENGRAM_BASE_URL", "http://localhost:6767"));
        String apiKey = env.getOrDefault("ENGRAM_API_KEY", "engram-dev-key");
        Path data = env.containsKey("ENGRAM_EVAL_DATA")
                ? Path.of(env.get("ENGRAM_EVAL_DATA"))
                : Path.of(env.getOrDefault("ENGRAM_REPO", "."))
                        .resolve("../shared/eval-data")
                        .normalize();
        int conversations = 0;
        List<Mode> modes = List.of(Mode.values());
        String runId = "retrieval-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Duration poll = Duration.ofMillis(500);
        Duration timeout = Duration.ofMinutes(30);
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
                case "--modes" -> modes = modes(value);
                case "--run-id" -> runId = value;
                case "--poll" -> poll = BenchmarkOptions.duration(option, value);
                case "--timeout" -> timeout = BenchmarkOptions.duration(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("--base-url must be an http(s) URL, was " + baseUrl);
        }
        // The longest ids a run makes: LoCoMo's conversation ids are like conv-26, its sessions and turns < 1000.
        for (String id : List.of(
                RetrievalCorpus.containerTag(runId, 99), RetrievalCorpus.customId(runId, "conv-00", "D999:999"))) {
            String name = id;
            ContainerTags.problem(id).ifPresent(problem -> {
                throw new IllegalArgumentException("--run-id makes ids like '" + name + "', which " + problem);
            });
        }
        return new RetrievalOptions(baseUrl, apiKey, data, conversations, modes, runId, poll, timeout);
    }

    private static List<Mode> modes(String value) {
        List<Mode> modes = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                modes.add(Mode.parse(part));
            }
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("--modes needs at least one of hybrid, dense, lexical");
        }
        return List.copyOf(new LinkedHashSet<>(modes));
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "RetrievalOptions[baseUrl=" + baseUrl + ", apiKey=***, data=" + data + ", conversations=" + conversations
                + ", modes=" + modes + ", runId=" + runId + "]";
    }
}
