package dev.engram.bench;

import dev.engram.bench.EngramClient.ApiException;
import dev.engram.bench.EngramClient.DocumentHit;
import dev.engram.bench.RetrievalCorpus.Probe;
import dev.engram.bench.RetrievalMetrics.Tally;
import dev.engram.bench.RetrievalOptions.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The asking phase: every question in one retrieval mode, one search at a time, each answer's documents mapped back to
 * dialogue ids and scored against the question's evidence turns.
 */
final class RetrievalRun {

    /** Results requested per search; also the depth of every metric. */
    static final int LIMIT = RetrievalMetrics.DEPTH;

    /** A mode is given up after this many failed searches in a row. */
    private static final int FAILURES_IN_A_ROW = 10;

    private static final int MAX_SAMPLES = 5;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /**
     * What one mode gave.
     *
     * @param unavailable why the mode could not be asked at all (the stack refused it), or null
     * @param byCategory the means per question category, for the categories asked
     * @param overall the means over every question answered
     * @param latency client-side time per search that answered, request sent to body read
     * @param failed searches that failed (not scored)
     * @param failureSamples a few of their reasons
     */
    record ModeResult(
            Mode mode,
            String unavailable,
            Map<LocomoData.Category, Tally> byCategory,
            Tally overall,
            LatencyStats latency,
            int failed,
            List<String> failureSamples) {

        ModeResult {
            byCategory = Map.copyOf(byCategory);
            failureSamples = List.copyOf(failureSamples);
        }

        static ModeResult unavailable(Mode mode, String reason) {
            return new ModeResult(mode, reason, Map.of(), new Tally(), LatencyStats.ofNanos(new long[0]), 0, List.of());
        }
    }

    private final EngramClient client;
    private final Consumer<String> progress;

    RetrievalRun(EngramClient client, Consumer<String> progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * Asks every probe in {@code mode}.
     *
     * @param diaIds the dialogue id of each document added, by document id; a result not in it is taken from its
     *     {@code dia_id} metadata, else counts as no evidence turn
     */
    ModeResult ask(Mode mode, List<Probe> probes, Map<String, String> diaIds) {
        Map<LocomoData.Category, Tally> byCategory = new EnumMap<>(LocomoData.Category.class);
        Tally overall = new Tally();
        long[] latencies = new long[probes.size()];
        int answered = 0;
        int failed = 0;
        int failedInARow = 0;
        List<String> samples = new ArrayList<>();
        long lastProgress = System.nanoTime();
        for (Probe probe : probes) {
            List<DocumentHit> hits;
            long started = System.nanoTime();
            try {
                hits = client.searchDocuments(probe.question().text(), probe.containerTag(), LIMIT, mode.wire());
            } catch (ApiException e) {
                if (e.status() == 400 && e.getMessage().contains("retrieval")) {
                    return ModeResult.unavailable(mode, e.getMessage());
                }
                failed++;
                if (samples.size() < MAX_SAMPLES) {
                    samples.add(probe.question().id() + ": " + e.getMessage());
                }
                if (++failedInARow >= FAILURES_IN_A_ROW) {
                    samples.add("gave up after " + FAILURES_IN_A_ROW + " failed searches in a row");
                    failed += probes.size() - answered - failed;
                    break;
                }
                continue;
            }
            latencies[answered++] = System.nanoTime() - started;
            failedInARow = 0;
            RetrievalMetrics.Scores scores = RetrievalMetrics.Scores.of(ranking(hits, diaIds), probe.evidence());
            overall.add(scores);
            byCategory
                    .computeIfAbsent(probe.question().category(), c -> new Tally())
                    .add(scores);
            if (System.nanoTime() - lastProgress >= PROGRESS_EVERY.toNanos()) {
                lastProgress = System.nanoTime();
                progress.accept("  … " + mode.wire() + ": " + (answered + failed) + "/" + probes.size() + " asked");
            }
        }
        return new ModeResult(
                mode,
                null,
                byCategory,
                overall,
                LatencyStats.ofNanos(Arrays.copyOf(latencies, answered)),
                failed,
                samples);
    }

    /** The dialogue ids of {@code hits}, in order; null for a result that is no known turn. */
    static List<String> ranking(List<DocumentHit> hits, Map<String, String> diaIds) {
        List<String> ranking = new ArrayList<>(hits.size());
        for (DocumentHit hit : hits) {
            String diaId = diaIds.get(hit.documentId());
            ranking.add(diaId != null ? diaId : hit.metadata().get("dia_id"));
        }
        return ranking;
    }
}
