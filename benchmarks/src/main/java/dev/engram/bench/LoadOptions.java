package dev.engram.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The load test's command line. {@code ENGRAM_BASE_URL}, {@code ENGRAM_API_KEY} and {@code ENGRAM_HOME} stand in for
 * {@code --base-url}, {@code --api-key} and the run directory.
 */
record LoadOptions(
        URI baseUrl,
        String apiKey,
        double ingestRate,
        double searchRate,
        Duration duration,
        Duration warmUp,
        Duration sampleEvery,
        Duration drain,
        Duration requestTimeout,
        int maxInFlight,
        int containerTags,
        String runId,
        Path runDir,
        long seed) {

    static final String USAGE = """
            Usage: ./engram bench load [options]
               or: java -cp benchmarks/target/engram-benchmarks.jar dev.engram.bench.LoadBenchmark [options]

            Holds a fixed, open-loop request rate against a running stack over loopback: documents added one per
            POST /v3/documents, and POST /v4/search queries over the same tags, each sent when due whether or not the
            earlier ones were answered. Samples every service's memory (RSS, and the JVM's old generation) and the
            pipeline's backlog while it runs, then waits for the pipeline to finish and prints requests by status,
            latency percentiles per endpoint, achieved against target rate, documents done against accepted, and each
            process's memory in the first and last minute with its slope.

              --ingest-rate R       documents per second (default 20)
              --search-rate S       searches per second (default 50)
              --duration D          how long the measured load lasts (default 5m)
              --warm-up D           the same load first, not counted, so the JVMs are warm (default 30s; 0 skips)
              --sample D            how often memory and backlog are sampled (default 5s)
              --drain D             longest wait after the load for the pipeline to finish the run's documents
                                    (default 3m)
              --request-timeout D   a request not answered within this counts as an error (default 10s)
              --max-in-flight N     requests outstanding at once, per endpoint; a request due while N are outstanding
                                    is not sent and counts as an error (default 256)
              --tags K              container tags the documents and searches spread over (default 8)
              --run-id ID           prefix of custom ids and tags (default load-<timestamp>)
              --run-dir DIR         the launcher's pid files (default $ENGRAM_HOME/run, else .engram/run)
              --seed S              text generator seed (default 7)
              --base-url URL        (env ENGRAM_BASE_URL; default http://localhost:6767)
              --api-key KEY         (env ENGRAM_API_KEY; default engram-dev-key)
              --help                this text

            Durations: 500ms, 30s, 5m, 1h or ISO-8601. Exit status: 0 when every request succeeded and every accepted
            document ended done; 1 otherwise; 2 for bad options or an unreachable stack.
            """;

    static LoadOptions parse(String[] args, Map<String, String> env) throws BenchmarkOptions.HelpRequested {
        URI baseUrl = URI.create(env.getOrDefault("ENGRAM_BASE_URL", "http://localhost:6767"));
        String apiKey = env.getOrDefault("ENGRAM_API_KEY", "engram-dev-key");
        double ingestRate = 20;
        double searchRate = 50;
        Duration duration = Duration.ofMinutes(5);
        Duration warmUp = Duration.ofSeconds(30);
        Duration sample = Duration.ofSeconds(5);
        Duration drain = Duration.ofMinutes(3);
        Duration requestTimeout = Duration.ofSeconds(10);
        int maxInFlight = 256;
        int tags = 8;
        String runId = "load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String home = env.get("ENGRAM_HOME");
        Path runDir = (home == null || home.isBlank() ? Path.of(".engram") : Path.of(home)).resolve("run");
        long seed = 7;
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
                case "--ingest-rate" -> ingestRate = rate(option, value);
                case "--search-rate" -> searchRate = rate(option, value);
                case "--duration" -> duration = BenchmarkOptions.duration(option, value);
                case "--warm-up" -> warmUp = zeroOr(option, value);
                case "--sample" -> sample = BenchmarkOptions.duration(option, value);
                case "--drain" -> drain = zeroOr(option, value);
                case "--request-timeout" -> requestTimeout = BenchmarkOptions.duration(option, value);
                case "--max-in-flight" -> maxInFlight = BenchmarkOptions.positive(option, value);
                case "--tags" -> tags = BenchmarkOptions.positive(option, value);
                case "--run-id" -> runId = value;
                case "--run-dir" -> runDir = Path.of(value);
                case "--seed" -> seed = BenchmarkOptions.parseLong(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        if (ingestRate == 0 && searchRate == 0) {
            throw new IllegalArgumentException("--ingest-rate and --search-rate are both 0: nothing to send");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (sample.isZero() || sample.isNegative()) {
            throw new IllegalArgumentException("--sample must be positive");
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("--base-url must be an http(s) URL, was " + baseUrl);
        }
        return new LoadOptions(
                baseUrl,
                apiKey,
                ingestRate,
                searchRate,
                duration,
                warmUp,
                sample,
                drain,
                requestTimeout,
                maxInFlight,
                tags,
                runId,
                runDir,
                seed);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "LoadOptions[baseUrl=" + baseUrl + ", apiKey=***, ingestRate=" + ingestRate + ", searchRate="
                + searchRate + ", duration=" + duration + ", warmUp=" + warmUp + ", runId=" + runId + "]";
    }

    private static double rate(String option, String value) {
        try {
            double rate = Double.parseDouble(value.trim());
            if (!(rate >= 0) || rate > 10_000) {
                throw new NumberFormatException();
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " takes a rate per second from 0 to 10000, was '" + value + "'");
        }
    }

    private static Duration zeroOr(String option, String value) {
        return value.trim().equals("0") ? Duration.ZERO : BenchmarkOptions.duration(option, value);
    }
}
