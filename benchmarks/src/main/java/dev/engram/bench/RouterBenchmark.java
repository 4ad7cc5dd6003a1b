package dev.engram.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The router bar (issue #6 "Benchmark"): the latency the Memory Router adds over calling the same provider directly,
 * memory retrieval included, in one run.
 *
 * <ol>
 *   <li>Checks that the stack answers, stores memories for one user ({@code POST /v4/memories}) and waits until a
 *       search finds them.
 *   <li>Starts an {@link InstantProvider} on loopback and checks the router may reach it.
 *   <li>Per mode (plain JSON, then streamed): warms up, then sends the same requests directly and through the router,
 *       interleaved (the order flips every pair, so both paths see the same machine), each with a distinct user turn
 *       so no cache answers the retrieval; times the first byte of the answer and its end.
 *   <li>Prints percentiles of both paths, the added latency per percentile (router minus direct), how many routed
 *       requests had memories injected or failed open, the machine's load, and p50 added against the 25 ms goal.
 * </ol>
 */
public final class RouterBenchmark {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int UNUSABLE = 2;

    static final int MEMORIES_PER_CALL = 100;
    static final Duration GOAL_P50_ADDED = Duration.ofMillis(25);
    static final Duration SEARCHABLE_WITHIN = Duration.ofMinutes(2);

    private RouterBenchmark() {}

    public static void main(String[] args) {
        System.exit(run(args, Map.copyOf(System.getenv()), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        RouterOptions options;
        try {
            options = RouterOptions.parse(args, env);
        } catch (BenchmarkOptions.HelpRequested e) {
            out.print(RouterOptions.USAGE);
            return OK;
        } catch (IllegalArgumentException e) {
            err.println("engram bench router: " + e.getMessage());
            return UNUSABLE;
        }
        EngramClient engram = new EngramClient(options.baseUrl(), options.apiKey(), Duration.ofSeconds(30));
        try {
            engram.checkReachable();
        } catch (EngramClient.StackUnavailableException e) {
            err.println("engram bench router: " + e.getMessage());
            return UNUSABLE;
        }
        Random random = new Random(options.seed());
        try (InstantProvider provider = InstantProvider.start()) {
            err.println("storing " + options.memories() + " memories for " + options.userId() + " …");
            storeMemories(engram, options, random);
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            Paths paths = new Paths(
                    URI.create(provider.baseUrl() + "/chat/completions"),
                    URI.create(options.baseUrl() + "/v3/" + provider.baseUrl() + "/chat/completions"));
            Timed probe = send(http, paths.routed(), options, "Is the router there?", false);
            if (probe.status() == 403) {
                err.println("engram bench router: the router refused the local provider at " + provider.baseUrl()
                        + ". Start the stack with ROUTER_UPSTREAM_ALLOWED_HOSTS=127.0.0.1"
                        + " ROUTER_UPSTREAM_PRIVATE_HOSTS=127.0.0.1 ./engram up");
                return UNUSABLE;
            }
            if (probe.status() != 200) {
                err.println("engram bench router: the router answered HTTP " + probe.status() + " to a probe");
                return UNUSABLE;
            }
            MachineLoad load = MachineLoad.ofThisMachine();
            List<ModeResult> results = new ArrayList<>();
            for (boolean stream : new boolean[] {false, true}) {
                String mode = stream ? "streamed" : "plain";
                err.println(mode + ": " + options.warmUp() + " warm-up and " + options.requests()
                        + " timed requests per path …");
                measure(http, paths, options, random, stream, options.warmUp());
                MachineLoad.Snapshot start = load.snapshot();
                Samples samples = measure(http, paths, options, random, stream, options.requests());
                results.add(new ModeResult(mode, samples, load.since(start)));
            }
            print(out, options, provider.baseUrl(), results);
            boolean failed = results.stream().anyMatch(r -> r.samples().failures() > 0);
            return failed ? FAILED : OK;
        } catch (IOException e) {
            err.println("engram bench router: " + e.getMessage());
            return UNUSABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    /** The two ways to the provider. */
    record Paths(URI direct, URI routed) {}

    /** One request: status, time to the first byte of the body and to its end, and the router's headers. */
    record Timed(int status, long firstByteNanos, long totalNanos, boolean injected, boolean failedOpen) {}

    /** Timed samples of one mode. */
    record Samples(
            long[] directFirst,
            long[] directTotal,
            long[] routedFirst,
            long[] routedTotal,
            int injected,
            int failedOpen,
            int failures) {}

    record ModeResult(String mode, Samples samples, MachineLoad.Window load) {}

    private static void storeMemories(EngramClient engram, RouterOptions options, Random random)
            throws InterruptedException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < options.memories(); i++) {
            texts.add("The user " + pick(random, Vocabulary.VERBS) + " " + pick(random, Vocabulary.ADJECTIVES) + " "
                    + pick(random, Vocabulary.NOUNS) + " in " + pick(random, Vocabulary.PLACES) + ".");
        }
        for (int from = 0; from < texts.size(); from += MEMORIES_PER_CALL) {
            engram.postMemories(
                    options.userId(), texts.subList(from, Math.min(texts.size(), from + MEMORIES_PER_CALL)), Map.of());
        }
        long deadline = System.nanoTime() + SEARCHABLE_WITHIN.toNanos();
        while (engram.search(texts.get(0), options.userId(), 1, 0).results() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the memories were not searchable within " + SEARCHABLE_WITHIN);
            }
            Thread.sleep(250);
        }
    }

    private static Samples measure(
            HttpClient http, Paths paths, RouterOptions options, Random random, boolean stream, int count)
            throws IOException, InterruptedException {
        long[] directFirst = new long[count];
        long[] directTotal = new long[count];
        long[] routedFirst = new long[count];
        long[] routedTotal = new long[count];
        int injected = 0;
        int failedOpen = 0;
        int failures = 0;
        for (int i = 0; i < count; i++) {
            String turn = "What do you remember about " + pick(random, Vocabulary.ADJECTIVES) + " "
                    + pick(random, Vocabulary.NOUNS) + " in " + pick(random, Vocabulary.PLACES) + "? (" + i + ")";
            Timed direct;
            Timed routed;
            if (i % 2 == 0) {
                direct = send(http, paths.direct(), options, turn, stream);
                routed = send(http, paths.routed(), options, turn, stream);
            } else {
                routed = send(http, paths.routed(), options, turn, stream);
                direct = send(http, paths.direct(), options, turn, stream);
            }
            directFirst[i] = direct.firstByteNanos();
            directTotal[i] = direct.totalNanos();
            routedFirst[i] = routed.firstByteNanos();
            routedTotal[i] = routed.totalNanos();
            injected += routed.injected() ? 1 : 0;
            failedOpen += routed.failedOpen() ? 1 : 0;
            failures += (direct.status() == 200 ? 0 : 1) + (routed.status() == 200 ? 0 : 1);
        }
        return new Samples(directFirst, directTotal, routedFirst, routedTotal, injected, failedOpen, failures);
    }

    static Timed send(HttpClient http, URI uri, RouterOptions options, String turn, boolean stream)
            throws IOException, InterruptedException {
        ObjectNode json =
                JsonNodeFactory.instance.objectNode().put("model", "bench").put("stream", stream);
        ArrayNode messages = json.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
        messages.addObject().put("role", "user").put("content", turn);
        String body = json.toString();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-bench-provider-key")
                .header("x-supermemory-api-key", options.apiKey())
                .header("x-sm-user-id", options.userId())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long first;
        try (InputStream in = response.body()) {
            in.read();
            first = System.nanoTime() - start;
            in.readAllBytes();
        }
        long total = System.nanoTime() - start;
        String retrieved =
                response.headers().firstValue("x-supermemory-chunks-retrieved").orElse("0");
        return new Timed(
                response.statusCode(),
                first,
                total,
                !"0".equals(retrieved),
                response.headers().firstValue("x-supermemory-error").isPresent());
    }

    private static void print(PrintStream out, RouterOptions options, URI provider, List<ModeResult> results) {
        String rule = "-".repeat(100);
        out.println(rule);
        out.println("Engram router benchmark   run " + options.runId() + ", " + options.requests()
                + " timed requests per mode and path, " + options.memories() + " memories for the user");
        out.println("direct                    " + provider + "/chat/completions (answers at once, in this process)");
        out.println("through the router        " + options.baseUrl() + "/v3/" + provider
                + "/chat/completions (memory retrieval on)");
        out.println(rule);
        for (ModeResult result : results) {
            Samples s = result.samples();
            LatencyStats directFirst = LatencyStats.ofNanos(s.directFirst());
            LatencyStats routedFirst = LatencyStats.ofNanos(s.routedFirst());
            LatencyStats directTotal = LatencyStats.ofNanos(s.directTotal());
            LatencyStats routedTotal = LatencyStats.ofNanos(s.routedTotal());
            out.println(result.mode() + " (" + s.directFirst().length + " per path; " + s.injected()
                    + " routed requests had memories injected, " + s.failedOpen() + " failed open, " + s.failures()
                    + " failed; " + result.load().describeBusy() + ")");
            out.println(row("  first byte, direct", directFirst));
            out.println(row("  first byte, router", routedFirst));
            out.println(added("  first byte, added", directFirst, routedFirst));
            out.println(row("  whole answer, direct", directTotal));
            out.println(row("  whole answer, router", routedTotal));
            out.println(added("  whole answer, added", directTotal, routedTotal));
        }
        out.println(rule);
        for (ModeResult result : results) {
            Duration p50 = LatencyStats.ofNanos(result.samples().routedFirst())
                    .p50()
                    .minus(LatencyStats.ofNanos(result.samples().directFirst()).p50());
            out.printf(
                    "ADDED p50, first byte, %-9s %7.2f ms   (goal ≤ %d ms: %s)%n",
                    result.mode(),
                    millis(p50),
                    GOAL_P50_ADDED.toMillis(),
                    p50.compareTo(GOAL_P50_ADDED) <= 0 ? "met" : "NOT met");
        }
        out.println(rule);
    }

    private static String row(String label, LatencyStats stats) {
        return String.format(
                "%-24s p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   max %7.2f ms",
                label, millis(stats.p50()), millis(stats.p95()), millis(stats.p99()), millis(stats.max()));
    }

    private static String added(String label, LatencyStats direct, LatencyStats routed) {
        return String.format(
                "%-24s p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms",
                label,
                millis(routed.p50().minus(direct.p50())),
                millis(routed.p95().minus(direct.p95())),
                millis(routed.p99().minus(direct.p99())));
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private static String pick(Random random, List<String> words) {
        return words.get(random.nextInt(words.size()));
    }
}
