package dev.engram.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Prints the benchmark's figures as one compact, labelled table. */
final class Report {

    /** The ratio the ingestion bar asks for (DESIGN.md §6: within 20% of the raw embedder). */
    static final double GOAL = 0.8;

    private static final String RULE = "-".repeat(92);

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void header(BenchmarkOptions options, List<IngestRun.Outcome> warmUp, int texts, int shortTexts, int chunkTexts) {
        out.println(RULE);
        out.printf(
                Locale.ROOT,
                "Engram ingest benchmark   run %s, seed %d, %,d short + %,d long documents%n",
                options.runId(),
                options.seed(),
                options.shortDocuments(),
                options.longDocuments());
        out.printf(
                Locale.ROOT,
                "corpus                    %,d texts to embed: %,d short documents + %,d chunks of long ones"
                        + " (≤%d tokens, %d overlap; memory-writer's chunker)%n",
                texts,
                shortTexts,
                chunkTexts,
                options.chunkTokens(),
                options.overlapTokens());
        for (int i = 0; i < warmUp.size(); i++) {
            IngestRun.Outcome w = warmUp.get(i);
            int round = i + 1;
            out.printf(
                    Locale.ROOT,
                    "%-26s%,d documents %s (seed %d, ids %s-…), %,d done in %s; not counted%s%n",
                    round == 1 ? "warm-up" : "warm-up, round " + round,
                    w.documents(),
                    round == 1 ? "sent first" : "once the machine was quiet",
                    options.seed() + round,
                    IngestBenchmark.warmUpRunId(options, round),
                    w.done(),
                    seconds(w.elapsed()),
                    w.clean()
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    " (%,d failed, %,d rejected, %,d timed out)",
                                    w.failed(),
                                    w.rejected(),
                                    w.timedOut()));
        }
        out.println(RULE);
    }

    void settling(MachineLoad.Settling settling) {
        String last = settling.last().map(MachineLoad.Window::describeOthers).orElse("");
        switch (settling.state()) {
            case SETTLED ->
                out.printf(
                        Locale.ROOT,
                        "machine settled           in %s (%s over the last %s)%n",
                        seconds(settling.waited()),
                        last,
                        seconds(MachineLoad.SAMPLE));
            case NOT_SETTLED ->
                out.printf(
                        Locale.ROOT,
                        "! MACHINE NOT SETTLED     within %s: %s at the end; the baseline competes with them%n",
                        seconds(settling.limit()),
                        last);
            case UNKNOWN -> out.println("machine settle            not checked: load unknown (no /proc/stat)");
            case SKIPPED -> out.println("machine settle            skipped (--settle 0)");
        }
    }

    void raw(RawEmbeddingBenchmark.Result raw, MachineLoad.Window load) {
        out.printf(
                Locale.ROOT,
                "raw embedder              %s, %d threads, in process: %,d texts in %s (calls of %,d)%n",
                raw.modelId(),
                raw.threads(),
                raw.texts(),
                seconds(raw.elapsed()),
                raw.batchSize());
        out.printf(
                Locale.ROOT,
                "  throughput              %,.1f texts/s   %,.0f tokens/s%n",
                raw.textsPerSecond(),
                raw.tokensPerSecond());
        out.println("  machine                 " + load.describeOthers());
    }

    void endToEnd(IngestRun.Outcome outcome, String baseUrl, long estimatedChunks, MachineLoad.Window load) {
        out.printf(Locale.ROOT, "end to end                %s via %s%n", baseUrl, outcome.mode());
        out.printf(
                Locale.ROOT,
                "  documents               %,d done, %,d failed, %,d rejected, %,d timed out, of %,d in %s%n",
                outcome.done(),
                outcome.failed(),
                outcome.rejected(),
                outcome.timedOut(),
                outcome.documents(),
                seconds(outcome.elapsed()));
        out.printf(
                Locale.ROOT,
                "  throughput              %,.1f docs/s   %,.1f chunks/s%n",
                outcome.docsPerSecond(),
                outcome.chunksPerSecond());
        out.printf(
                Locale.ROOT,
                "  chunks                  %,d %s (baseline: %,d%s)%n",
                outcome.chunks(),
                switch (outcome.chunkSource()) {
                    case REPORTED -> "as reported by GET /v3/documents/{id}";
                    case CHUNKS_ENDPOINT -> "as listed by GET /v3/documents/{id}/chunks";
                    case ESTIMATED -> "ESTIMATED: the stack reports no chunk counts";
                },
                estimatedChunks,
                outcome.chunkSource() == IngestRun.ChunkSource.ESTIMATED || outcome.chunks() == estimatedChunks
                        ? ""
                        : "; DIFFERENT: the stack chunks otherwise than the baseline did, see --chunk-tokens");
        LatencyStats t = outcome.timeToDone();
        out.printf(
                Locale.ROOT,
                "  time to done            p50 %s   p95 %s   p99 %s   max %s   (n=%,d, ±1 poll)%n",
                seconds(t.p50()),
                seconds(t.p95()),
                seconds(t.p99()),
                seconds(t.max()),
                t.count());
        out.println("  machine                 " + load.describeBusy());
        outcome.failureSamples().forEach(sample -> out.println("  ! " + sample));
    }

    /**
     * The CPU the stack's JIT compilers used during the end-to-end phase ({@link JitLoad}), or why it is not known.
     */
    void compilers(Optional<Map<String, Double>> seconds, Path runDir) {
        out.println("  JIT compilers           "
                + seconds.map(JitLoad::describe)
                        .orElse("unknown: no pid files in " + runDir + " (--run-dir; ./engram bench passes it)"));
    }

    /**
     * The CPU memory-writer's embedding model used during the end-to-end phase ({@link ModelCpu}) and what the machine
     * did besides: the pipeline's cost beyond the model (the model also embeds the memories extracted meanwhile,
     * which the ratio does not count). The phase runs until the last document's status is read, a little past the
     * last {@code done}.
     */
    void model(OptionalDouble seconds, MachineLoad.Window load) {
        if (seconds.isEmpty()) {
            out.println("  embedding model         unknown: memory-writer's " + ModelCpu.SERIES
                    + " was not readable (its port comes from ports.env in --run-dir)");
            return;
        }
        double model = seconds.getAsDouble();
        if (load.busyCores().isEmpty()) {
            out.printf(Locale.ROOT, "  embedding model         %.1f CPU-seconds%n", model);
            return;
        }
        double busy = load.busyCores().getAsDouble() * load.elapsed().toNanos() / 1e9;
        out.printf(
                Locale.ROOT,
                "  embedding model         %.1f CPU-seconds; everything else %.1f of the %.1f busy%n",
                model,
                Math.max(0, busy - model),
                busy);
    }

    void ratio(IngestRun.Outcome outcome, RawEmbeddingBenchmark.Result raw) {
        double ratio = outcome.chunksPerSecond() / raw.textsPerSecond();
        out.println(RULE);
        out.printf(
                Locale.ROOT,
                "RATIO end-to-end embedded texts/s ÷ raw embedder texts/s = %,.1f ÷ %,.1f = %.2f   (goal ≥ %.2f: %s)%n",
                outcome.chunksPerSecond(),
                raw.textsPerSecond(),
                ratio,
                GOAL,
                ratio >= GOAL ? "met" : "NOT met");
        out.println(RULE);
    }

    void footer() {
        out.println(RULE);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
    }
}
