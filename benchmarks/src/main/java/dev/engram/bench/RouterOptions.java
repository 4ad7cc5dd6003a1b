package dev.engram.bench;

import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The router benchmark's command line. Every option has a default; {@code ENGRAM_BASE_URL} and {@code ENGRAM_API_KEY}
 * stand in for {@code --base-url} and {@code --api-key}.
 *
 * @param requests timed requests per mode and path (direct, through the router)
 * @param warmUp untimed requests per mode and path first
 * @param memories memories stored for the benchmark's user, so every routed request retrieves some
 */
record RouterOptions(URI baseUrl, String apiKey, int requests, int warmUp, int memories, long seed, String runId) {

    static final String USAGE = """
            Usage: ./engram bench router [options]
                   java -cp benchmarks/target/engram-benchmarks.jar dev.engram.bench.RouterBenchmark [options]

            Starts a provider in this process that answers OpenAI chat completions at once (plain JSON, or five
            Server-Sent Events), stores memories for one user, then times the same requests sent to that provider
            directly and through Engram's router (/v3/<provider-url>/chat/completions, memory retrieval on),
            interleaved, streaming and not: time to the first byte of the answer and to its end, and the router's
            added latency (its percentile minus the direct one). The stack must let the router reach 127.0.0.1:
              ROUTER_UPSTREAM_ALLOWED_HOSTS=127.0.0.1 ROUTER_UPSTREAM_PRIVATE_HOSTS=127.0.0.1 ./engram up

              --base-url URL        Engram's gateway (env ENGRAM_BASE_URL; default http://localhost:6767)
              --api-key KEY         Engram's API key (env ENGRAM_API_KEY; default engram-dev-key)
              --requests N          timed requests per mode and path (default 500)
              --warm-up W           untimed requests per mode and path first (default 100)
              --memories M          memories stored for the user (default 50)
              --seed S              text seed (default 42)
              --run-id ID           prefix of the user's container tag (default router-<timestamp>)
              --help                this text

            Exit status: 0 when every request answered 200, 1 when any failed, 2 for bad options or a stack that
            cannot be used (unreachable, or the router refusing the local provider).
            """;

    /**
     * Parses {@code args} over the defaults.
     *
     * @throws IllegalArgumentException naming the offending option
     * @throws BenchmarkOptions.HelpRequested for {@code --help}
     */
    static RouterOptions parse(String[] args, Map<String, String> env) throws BenchmarkOptions.HelpRequested {
        URI baseUrl = URI.create(env.getOrDefault("ENGRAM_BASE_URL", "http://localhost:6767"));
        String apiKey = env.getOrDefault("ENGRAM_API_KEY", "engram-dev-key");
        int requests = 500;
        int warmUp = 100;
        int memories = 50;
        long seed = 42;
        String runId = "router-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
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
                case "--requests" -> requests = BenchmarkOptions.positive(option, value);
                case "--warm-up" -> warmUp = BenchmarkOptions.nonNegative(option, value);
                case "--memories" -> memories = BenchmarkOptions.positive(option, value);
                case "--seed" -> seed = BenchmarkOptions.parseLong(option, value);
                case "--run-id" -> runId = value;
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        if (memories > 1_000) {
            throw new IllegalArgumentException("--memories must be at most 1000");
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("--base-url must be an http(s) URL, was " + baseUrl);
        }
        if (!runId.matches("[A-Za-z0-9_.:-]{1,80}")) {
            throw new IllegalArgumentException(
                    "--run-id may hold letters, digits and _ . : - (at most 80), was '" + runId + "'");
        }
        return new RouterOptions(
                URI.create(baseUrl.toString().replaceAll("/+$", "")), apiKey, requests, warmUp, memories, seed, runId);
    }

    /** The benchmark's user: the container tag its memories live in. */
    String userId() {
        return runId + "-user";
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "RouterOptions[baseUrl=" + baseUrl + ", apiKey=***, requests=" + requests + ", warmUp=" + warmUp
                + ", memories=" + memories + ", runId=" + runId + "]";
    }
}
