package dev.engram.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load test's table and verdict.
 *
 * @param seconds how long the measured load lasted
 * @param accepted documents the measured load added (2xx with an id)
 * @param outcomes their statuses after the drain
 * @param backlogAtEnd the run's documents still in processing when the load stopped
 * @param backlogMax the most of them in processing at one sample
 * @param left still in processing after the drain
 * @param drained how long the drain took
 * @param rss each process's resident set
 * @param oldGen each JVM's old generation in use
 * @param machine the machine's busy cores during the load
 */
record LoadReport(
        LoadOptions options,
        double seconds,
        LoadRecorder.Summary ingest,
        LoadRecorder.Summary search,
        int accepted,
        Map<String, Integer> outcomes,
        int backlogAtEnd,
        int backlogMax,
        int left,
        Duration drained,
        Map<String, LoadTrend> rss,
        Map<String, LoadTrend> oldGen,
        String machine) {

    /** Resident memory growing more than this from the first to the last minute is reported as not flat. */
    static final double FLAT_RSS = 1.10;

    /** The old generation's last-minute mean more than this over its first-minute mean is reported as not flat. */
    static final double FLAT_OLD_GEN = 1.25;

    /** Achieved send rate below this share of the target is a failure of the load generator, not of the stack. */
    static final double RATE_HELD = 0.95;

    /** Every way the run fell short; empty when it held the rate with no errors and the pipeline kept up. */
    List<String> shortfalls() {
        List<String> problems = new ArrayList<>();
        for (LoadRecorder.Summary s : List.of(ingest, search)) {
            if (s.targetPerSecond() == 0) {
                continue;
            }
            if (s.errors() > 0 || s.outstanding() > 0) {
                problems.add(s.endpoint() + ": " + s.errors() + " errors, " + s.outstanding() + " unanswered");
            }
            if (s.sentPerSecond() < RATE_HELD * s.targetPerSecond()) {
                problems.add(String.format(
                        Locale.ROOT,
                        "%s: sent %.2f/s of %.2f/s",
                        s.endpoint(),
                        s.sentPerSecond(),
                        s.targetPerSecond()));
            }
        }
        int done = outcomes.getOrDefault("done", 0);
        if (done != accepted) {
            problems.add("pipeline: " + done + " of " + accepted + " accepted documents done " + outcomes);
        }
        if (left > 0) {
            problems.add("pipeline: " + left + " documents still processing after " + options.drain() + " of drain");
        }
        return problems;
    }

    /** Processes whose memory is not flat by the thresholds above. */
    List<String> growing() {
        List<String> growing = new ArrayList<>();
        rss.forEach((name, t) -> {
            if (t.lastOverFirst() > FLAT_RSS) {
                growing.add(name + " RSS x" + ratio(t.lastOverFirst()));
            }
        });
        oldGen.forEach((name, t) -> {
            if (t.lastOverFirst() > FLAT_OLD_GEN) {
                growing.add(name + " old gen x" + ratio(t.lastOverFirst()));
            }
        });
        return growing;
    }

    boolean passed() {
        return shortfalls().isEmpty();
    }

    void print(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "Engram load test  %s  %.0f s at %.1f documents/s + %.1f searches/s  (%s)%n",
                options.runId(),
                seconds,
                options.ingestRate(),
                options.searchRate(),
                machine);
        out.printf(
                Locale.ROOT,
                "%-28s %8s %8s %8s %7s %7s  %-22s %8s %8s %8s %8s%n",
                "endpoint",
                "target/s",
                "sent/s",
                "ok/s",
                "ok",
                "errors",
                "by status",
                "p50",
                "p95",
                "p99",
                "max");
        for (LoadRecorder.Summary s : List.of(ingest, search)) {
            out.printf(
                    Locale.ROOT,
                    "%-28s %8.2f %8.2f %8.2f %7d %7d  %-22s %8s %8s %8s %8s%n",
                    s.endpoint(),
                    s.targetPerSecond(),
                    s.sentPerSecond(),
                    s.okPerSecond(),
                    s.ok(),
                    s.errors() + s.outstanding(),
                    statuses(s.byStatus()),
                    millis(s.latency().p50()),
                    millis(s.latency().p95()),
                    millis(s.latency().p99()),
                    millis(s.latency().max()));
        }
        out.printf(
                Locale.ROOT,
                "pipeline  accepted %d, after the drain %s; backlog at the end of the load %d (most at a sample %d),"
                        + " drained in %.1f s%s%n",
                accepted,
                outcomes,
                backlogAtEnd,
                backlogMax,
                drained.toMillis() / 1000.0,
                left > 0 ? ", " + left + " still processing" : "");
        out.printf(
                Locale.ROOT,
                "%-16s %14s %14s %14s %12s   %14s %14s %14s%n",
                "memory",
                "RSS 1st min",
                "RSS last min",
                "RSS slope/min",
                "RSS max",
                "old gen 1st",
                "old gen last",
                "old slope/min");
        for (String name : rss.keySet()) {
            LoadTrend r = rss.get(name);
            LoadTrend o = oldGen.get(name);
            out.printf(
                    Locale.ROOT,
                    "%-16s %14s %14s %14s %12s   %14s %14s %14s%n",
                    name,
                    LoadBenchmark.mib(r.first()),
                    LoadBenchmark.mib(r.last()),
                    signedMib(r.slopeBytesPerMinute()),
                    LoadBenchmark.mib(r.max()),
                    o == null ? "n/a" : LoadBenchmark.mib(o.first()),
                    o == null ? "n/a" : LoadBenchmark.mib(o.last()),
                    o == null ? "n/a" : signedMib(o.slopeBytesPerMinute()));
        }
        List<String> growing = growing();
        out.println("memory    "
                + (rss.isEmpty()
                        ? "not sampled"
                        : growing.isEmpty()
                                ? "flat (RSS last/first minute <= " + FLAT_RSS + ", old gen <= " + FLAT_OLD_GEN + ")"
                                : "NOT FLAT: " + String.join(", ", growing)));
        List<String> shortfalls = shortfalls();
        out.println("RESULT    " + (shortfalls.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", shortfalls)));
        out.println(json());
    }

    /** The figures as one JSON line. */
    String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("runId", options.runId()).put("seconds", round(seconds)).put("machine", machine);
        for (LoadRecorder.Summary s : List.of(ingest, search)) {
            ObjectNode node = root.putObject(s.endpoint().startsWith("ingest") ? "ingest" : "search");
            node.put("target", s.targetPerSecond())
                    .put("sentPerSecond", round(s.sentPerSecond()))
                    .put("okPerSecond", round(s.okPerSecond()))
                    .put("ok", s.ok())
                    .put("errors", s.errors() + s.outstanding())
                    .put("p50Ms", ms(s.latency().p50()))
                    .put("p95Ms", ms(s.latency().p95()))
                    .put("p99Ms", ms(s.latency().p99()))
                    .put("maxMs", ms(s.latency().max()));
            ObjectNode statuses = node.putObject("byStatus");
            s.byStatus().forEach((k, v) -> statuses.put(statusName(k), v));
        }
        ObjectNode pipeline = root.putObject("pipeline");
        pipeline.put("accepted", accepted)
                .put("backlogAtEnd", backlogAtEnd)
                .put("backlogMax", backlogMax)
                .put("left", left)
                .put("drainSeconds", drained.toMillis() / 1000.0);
        outcomes.forEach(pipeline.putObject("outcomes")::put);
        ObjectNode memory = root.putObject("memoryMiB");
        rss.forEach((name, t) -> {
            ObjectNode node = memory.putObject(name);
            node.put("rssFirst", round(t.first() / (1 << 20)))
                    .put("rssLast", round(t.last() / (1 << 20)))
                    .put("rssSlopePerMin", round(t.slopeBytesPerMinute() / (1 << 20)));
            LoadTrend o = oldGen.get(name);
            if (o != null) {
                node.put("oldGenFirst", round(o.first() / (1 << 20)))
                        .put("oldGenLast", round(o.last() / (1 << 20)))
                        .put("oldGenSlopePerMin", round(o.slopeBytesPerMinute() / (1 << 20)));
            }
        });
        root.put("passed", passed());
        return root.toString();
    }

    static String statuses(Map<Integer, Integer> byStatus) {
        StringBuilder text = new StringBuilder();
        byStatus.forEach((status, count) -> {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(statusName(status)).append('=').append(count);
        });
        return text.isEmpty() ? "-" : text.toString();
    }

    static String statusName(int status) {
        return switch (status) {
            case LoadRecorder.NO_ANSWER -> "no-answer";
            case LoadRecorder.NOT_SENT -> "not-sent";
            default -> Integer.toString(status);
        };
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static double ms(Duration d) {
        return round(d.toNanos() / 1e6);
    }

    private static String signedMib(double bytes) {
        return String.format(Locale.ROOT, "%+.2f MiB", bytes / (1 << 20));
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
