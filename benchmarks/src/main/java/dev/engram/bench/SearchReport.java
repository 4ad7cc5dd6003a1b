package dev.engram.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The search benchmark's figures: a labelled table, the ratios against the in-process baseline, and a JSON line. */
final class SearchReport {

    /** DESIGN.md §6: p95 of /v4/search end to end, query embedding included, well under this on 2 cores. */
    static final Duration BAR_P95 = Duration.ofMillis(50);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RULE = "-".repeat(92);

    /**
     * What was measured.
     *
     * @param runId prefix of the run's tags
     * @param memories memories in the searched tag
     * @param otherMemories memories in the other tag
     * @param queries timed queries (each a distinct text)
     * @param concurrency searches in flight over HTTP
     * @param modelId the baseline's model and variant, null without a baseline
     * @param threads the baseline's ONNX Runtime threads
     */
    record Header(
            String runId, int memories, int otherMemories, int queries, int concurrency, String modelId, int threads) {}

    /**
     * Loading through {@code POST /v4/memories}.
     *
     * @param memories memories created (both tags)
     * @param requests calls made
     * @param elapsed first call to last answer
     * @param settled from the last answer until the pipeline had nothing left in processing
     */
    record Load(int memories, int requests, Duration elapsed, Duration settled) {
        double memoriesPerSecond() {
            return memories / RawEmbeddingBenchmark.seconds(elapsed);
        }
    }

    /**
     * The timed searches over HTTP.
     *
     * @param latency client-side, request sent to body read
     * @param serverTimingMillis mean of the {@code timing} the answers reported, or null if none did
     * @param elapsed wall-clock time of the timed part
     * @param meanResults mean results per answer
     * @param failures searches that did not answer 2xx (not in {@code latency})
     * @param failureSamples a few of their messages
     */
    record Http(
            LatencyStats latency,
            Double serverTimingMillis,
            Duration elapsed,
            double meanResults,
            int failures,
            List<String> failureSamples) {
        double queriesPerSecond() {
            return latency.count() / RawEmbeddingBenchmark.seconds(elapsed);
        }
    }

    /**
     * The in-process baseline.
     *
     * @param indexed vectors in the in-process index (both tags)
     * @param embedElapsed time to embed those texts (batches of 64)
     * @param embed embedding one query text alone
     * @param lookup one HNSW search of the searched tag, top 10
     * @param total embed + lookup per query
     */
    record Baseline(int indexed, Duration embedElapsed, LatencyStats embed, LatencyStats lookup, LatencyStats total) {}

    /** All of it; {@code load} is null when the run searched memories loaded earlier, {@code baseline} when skipped. */
    record Figures(Header header, Load load, Http http, Baseline baseline) {

        double p50Ratio() {
            return ratio(http.latency().p50(), baseline.total().p50());
        }

        double p95Ratio() {
            return ratio(http.latency().p95(), baseline.total().p95());
        }

        boolean barMet() {
            return http.latency().count() > 0 && http.latency().p95().compareTo(BAR_P95) < 0;
        }
    }

    private final PrintStream out;

    SearchReport(PrintStream out) {
        this.out = out;
    }

    /** The table, the ratios and the JSON line. */
    void print(Figures figures) {
        Header h = figures.header();
        Load load = figures.load();
        Http http = figures.http();
        Baseline base = figures.baseline();
        out.println(RULE);
        out.printf(
                Locale.ROOT,
                "Engram search benchmark   run %s: %,d memories searched (+ %,d in another tag), %,d queries,"
                        + " concurrency %d%n",
                h.runId(),
                h.memories(),
                h.otherMemories(),
                h.queries(),
                h.concurrency());
        out.println(RULE);
        if (load == null) {
            out.println("load                      skipped: the tags were loaded by an earlier run (--load skip)");
        } else {
            out.printf(
                    Locale.ROOT,
                    "load                      %,d memories in %,d POST /v4/memories in %s = %,.1f memories/s;"
                            + " pipeline idle %s later%n",
                    load.memories(),
                    load.requests(),
                    Report.seconds(load.elapsed()),
                    load.memoriesPerSecond(),
                    Report.seconds(load.settled()));
        }
        out.printf(
                Locale.ROOT,
                "HTTP /v4/search           %s (limit 10, threshold 0, distinct query texts: embedding never cached)%n",
                latencies(http.latency()));
        out.printf(
                Locale.ROOT,
                "  throughput              %,.1f queries/s   mean results %.1f   server timing mean %s   failed %,d%n",
                http.queriesPerSecond(),
                http.meanResults(),
                http.serverTimingMillis() == null
                        ? "not reported"
                        : String.format(Locale.ROOT, "%.1f ms", http.serverTimingMillis()),
                http.failures());
        http.failureSamples().forEach(sample -> out.println("  ! " + sample));
        if (base == null) {
            out.println("baseline (in process)     skipped (--baseline skip): no ratios");
            out.println(RULE);
        } else {
            out.printf(
                    Locale.ROOT,
                    "baseline (in process)     %s, %d threads; Lucene HNSW over %,d vectors (embedded in %s)%n",
                    h.modelId(),
                    h.threads(),
                    base.indexed(),
                    Report.seconds(base.embedElapsed()));
            out.printf(Locale.ROOT, "  embed one query         %s%n", latencies(base.embed()));
            out.printf(Locale.ROOT, "  index lookup (top 10)   %s%n", latencies(base.lookup()));
            out.printf(Locale.ROOT, "  embed + lookup          %s%n", latencies(base.total()));
            out.println(RULE);
            out.printf(
                    Locale.ROOT,
                    "RATIO HTTP ÷ baseline     p50 %s ÷ %s = %.2f   p95 %s ÷ %s = %.2f%n",
                    millis(http.latency().p50()),
                    millis(base.total().p50()),
                    figures.p50Ratio(),
                    millis(http.latency().p95()),
                    millis(base.total().p95()),
                    figures.p95Ratio());
        }
        out.printf(
                Locale.ROOT,
                "BAR HTTP p95 %s against %s: %s%n",
                millis(http.latency().p95()),
                millis(BAR_P95),
                figures.barMet() ? "met" : "NOT met");
        out.println(RULE);
        out.println(json(figures));
    }

    /** The figures as one JSON object on one line (milliseconds, three decimals). */
    static String json(Figures figures) {
        ObjectNode root = JSON.createObjectNode().put("benchmark", "search");
        Header h = figures.header();
        root.put("runId", h.runId())
                .put("memories", h.memories())
                .put("otherMemories", h.otherMemories())
                .put("queries", h.queries())
                .put("concurrency", h.concurrency());
        Load load = figures.load();
        if (load == null) {
            root.putNull("load");
        } else {
            root.putObject("load")
                    .put("memories", load.memories())
                    .put("requests", load.requests())
                    .put("seconds", round(RawEmbeddingBenchmark.seconds(load.elapsed())))
                    .put("memoriesPerSecond", round(load.memoriesPerSecond()))
                    .put("settledSeconds", round(RawEmbeddingBenchmark.seconds(load.settled())));
        }
        Http http = figures.http();
        ObjectNode httpNode = latencyJson(root.putObject("http"), http.latency())
                .put("queriesPerSecond", round(http.queriesPerSecond()))
                .put("meanResults", round(http.meanResults()))
                .put("failures", http.failures());
        if (http.serverTimingMillis() == null) {
            httpNode.putNull("serverTimingMeanMs");
        } else {
            httpNode.put("serverTimingMeanMs", round(http.serverTimingMillis()));
        }
        Baseline base = figures.baseline();
        if (base == null) {
            root.putNull("baseline");
            root.putNull("ratio");
        } else {
            ObjectNode baseNode = root.putObject("baseline")
                    .put("model", h.modelId())
                    .put("threads", h.threads())
                    .put("indexed", base.indexed());
            latencyJson(baseNode.putObject("embed"), base.embed());
            latencyJson(baseNode.putObject("lookup"), base.lookup());
            latencyJson(baseNode.putObject("total"), base.total());
            root.putObject("ratio").put("p50", round(figures.p50Ratio())).put("p95", round(figures.p95Ratio()));
        }
        root.put("barP95Ms", BAR_P95.toMillis()).put("barMet", figures.barMet());
        return root.toString();
    }

    private static ObjectNode latencyJson(ObjectNode node, LatencyStats stats) {
        return node.put("n", stats.count())
                .put("p50Ms", ms(stats.p50()))
                .put("p95Ms", ms(stats.p95()))
                .put("p99Ms", ms(stats.p99()))
                .put("maxMs", ms(stats.max()))
                .put("meanMs", ms(stats.mean()));
    }

    static String latencies(LatencyStats stats) {
        return String.format(
                Locale.ROOT,
                "p50 %s   p95 %s   p99 %s   max %s   (n=%,d)",
                millis(stats.p50()),
                millis(stats.p95()),
                millis(stats.p99()),
                millis(stats.max()),
                stats.count());
    }

    static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }

    private static double ratio(Duration numerator, Duration denominator) {
        return denominator.isZero() ? Double.NaN : (double) numerator.toNanos() / denominator.toNanos();
    }

    private static double ms(Duration duration) {
        return round(duration.toNanos() / 1e6);
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : value;
    }
}
