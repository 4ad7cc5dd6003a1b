package dev.engram.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.bench.RetrievalMetrics.Scores;
import dev.engram.bench.RetrievalMetrics.Tally;
import dev.engram.bench.RetrievalRun.ModeResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The retrieval evaluation's figures: a table of mode × category, each mode's latency, and a JSON line. */
final class RetrievalReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "%-8s %-12s %5s %6s %6s %6s %6s %6s %8s %6s%n";
    private static final int MAX_LISTED = 10;

    /**
     * What was sent.
     *
     * @param conversations conversations evaluated, of {@code available} in the data
     * @param ingest how adding the documents went
     * @param corpus the documents and questions
     */
    record Header(String runId, int conversations, int available, IngestRun.Outcome ingest, RetrievalCorpus corpus) {}

    private final PrintStream out;

    RetrievalReport(PrintStream out) {
        this.out = out;
    }

    void print(Header header, List<ModeResult> results) {
        IngestRun.Outcome ingest = header.ingest();
        RetrievalCorpus corpus = header.corpus();
        out.printf(
                "LoCoMo retrieval, run %s: %d of %d conversations, a container tag each (%s-conv<n>)%n",
                header.runId(), header.conversations(), header.available(), header.runId());
        out.printf(
                "documents  %d turns: %d done, %d failed, %d rejected, %d timed out, in %.1f s%n",
                ingest.documents(),
                ingest.done(),
                ingest.failed(),
                ingest.rejected(),
                ingest.timedOut(),
                RawEmbeddingBenchmark.seconds(ingest.elapsed()));
        ingest.failureSamples().forEach(sample -> out.println("           ! " + sample));
        out.printf(
                "questions  %d asked (categories 1-4 with evidence), %d excluded, %d scored on the part of their"
                        + " evidence in the conversation%n",
                corpus.probes().size(), corpus.excluded().size(), corpus.partlyMissing());
        corpus.excluded().stream()
                .limit(MAX_LISTED)
                .forEach(e -> out.println("           excluded " + e.questionId() + ": " + e.reason()));
        if (corpus.excluded().size() > MAX_LISTED) {
            out.println("           … and " + (corpus.excluded().size() - MAX_LISTED) + " more");
        }
        out.printf(
                "searches   POST /v3/search, one at a time: limit %d, chunkThreshold 0, onlyMatchingChunks%n%n",
                RetrievalRun.LIMIT);
        out.printf(ROW, "mode", "category", "n", "R@1", "R@5", "R@10", "all@5", "all@10", "nDCG@10", "MRR");
        for (ModeResult result : results) {
            String mode = result.mode().wire();
            if (result.unavailable() != null) {
                out.printf("%-8s unavailable: %s%n", mode, result.unavailable());
                continue;
            }
            for (LocomoData.Category category : LocomoData.Category.values()) {
                Tally tally = result.byCategory().get(category);
                if (tally != null) {
                    row(mode, category.label(), tally);
                    mode = "";
                }
            }
            row(mode, "overall", result.overall());
        }
        out.println();
        for (ModeResult result : results) {
            if (result.unavailable() != null) {
                continue;
            }
            LatencyStats latency = result.latency();
            out.printf(
                    "latency  %-8s p50 %s  p95 %s  (%d searches%s)%n",
                    result.mode().wire(),
                    millis(latency.p50()),
                    millis(latency.p95()),
                    latency.count(),
                    result.failed() == 0 ? "" : ", " + result.failed() + " failed");
            result.failureSamples().forEach(sample -> out.println("         ! " + sample));
        }
        out.println(json(header, results));
    }

    private void row(String mode, String category, Tally tally) {
        Scores mean = tally.mean();
        out.printf(
                ROW,
                mode,
                category,
                tally.count(),
                f(mean.anyAt1()),
                f(mean.anyAt5()),
                f(mean.anyAt10()),
                f(mean.allAt5()),
                f(mean.allAt10()),
                f(mean.ndcg()),
                f(mean.reciprocalRank()));
    }

    /** The same figures as one line of JSON. */
    static String json(Header header, List<ModeResult> results) {
        ObjectNode root = JSON.createObjectNode()
                .put("benchmark", "retrieval")
                .put("runId", header.runId())
                .put("conversations", header.conversations())
                .put("documentsDone", header.ingest().done())
                .put("questions", header.corpus().probes().size())
                .put("excluded", header.corpus().excluded().size());
        ObjectNode modes = root.putObject("modes");
        for (ModeResult result : results) {
            ObjectNode mode = modes.putObject(result.mode().wire());
            if (result.unavailable() != null) {
                mode.put("unavailable", result.unavailable());
                continue;
            }
            scores(mode.putObject("overall"), result.overall());
            for (LocomoData.Category category : LocomoData.Category.values()) {
                Tally tally = result.byCategory().get(category);
                if (tally != null) {
                    scores(mode.putObject(category.label()), tally);
                }
            }
            mode.put("p50Ms", result.latency().p50().toNanos() / 1e6)
                    .put("p95Ms", result.latency().p95().toNanos() / 1e6)
                    .put("failed", result.failed());
        }
        return root.toString();
    }

    private static void scores(ObjectNode node, Tally tally) {
        Scores mean = tally.mean();
        node.put("n", tally.count())
                .put("recallAny1", round(mean.anyAt1()))
                .put("recallAny5", round(mean.anyAt5()))
                .put("recallAny10", round(mean.anyAt10()))
                .put("recallAll5", round(mean.allAt5()))
                .put("recallAll10", round(mean.allAt10()))
                .put("ndcg10", round(mean.ndcg()))
                .put("mrr", round(mean.reciprocalRank()));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }
}
