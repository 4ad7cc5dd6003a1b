package dev.engram.bench;

import dev.engram.embeddings.OnnxMiniLmEmbedder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Memory extraction on LoCoMo (issue #4, "Evaluation"): what memory-writer makes of real conversations, in one run.
 *
 * <ol>
 *   <li>Reads LoCoMo's per-turn job files from the eval-data folder (never from the repository) and checks that the
 *       stack and its database answer.
 *   <li>Baseline: embeds the turn texts in this process with the stack's model, for the throughput ratio.
 *   <li>Feeds each conversation session by session to {@code POST /v4/conversations}, in a container tag of its own
 *       for this run, and waits until every extraction job has ended.
 *   <li>Reads the jobs and memories from memory-writer's tables and prints memories per turn, how much of the
 *       questions' evidence the memories' provenance covers, and extraction throughput, per extractor and in total,
 *       against the one-memory-per-turn store and the raw embedder.
 * </ol>
 */
public final class LocomoBenchmark {

    /** Held so the level sticks: the tokenizer library warns about probing for CUDA on every machine without it. */
    private static final Logger DJL_LOG = Logger.getLogger("ai.djl");

    private LocomoBenchmark() {}

    public static void main(String[] args) {
        DJL_LOG.setLevel(Level.SEVERE);
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        LocomoOptions options;
        try {
            options = LocomoOptions.parse(args, env);
        } catch (BenchmarkOptions.HelpRequested e) {
            out.print(LocomoOptions.USAGE);
            return IngestBenchmark.OK;
        } catch (IllegalArgumentException e) {
            err.println("engram bench locomo: " + e.getMessage());
            return IngestBenchmark.UNUSABLE;
        }
        LocomoData data;
        try {
            if (!Files.isDirectory(options.data())) {
                err.println("engram bench locomo: no eval-data folder at " + options.data()
                        + " (pass --data or set ENGRAM_EVAL_DATA)");
                return IngestBenchmark.UNUSABLE;
            }
            data = LocomoData.load(options.data());
        } catch (IOException | IllegalArgumentException e) {
            err.println("engram bench locomo: cannot read LoCoMo: " + e.getMessage());
            return IngestBenchmark.UNUSABLE;
        }
        WriterTables tables = new WriterTables(options.dbUrl(), options.dbUser(), options.dbPassword());
        try (EngramClient client = new EngramClient(options.baseUrl(), options.apiKey(), Duration.ofSeconds(60))) {
            try {
                client.checkReachable();
            } catch (EngramClient.StackUnavailableException e) {
                err.println("engram bench locomo: " + e.getMessage());
                return IngestBenchmark.UNUSABLE;
            }
            var problem = tables.problem();
            if (problem.isPresent()) {
                err.println("engram bench locomo: " + problem.get());
                return IngestBenchmark.UNUSABLE;
            }
            return measure(options, data, client, tables, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("engram bench locomo: interrupted");
            return IngestBenchmark.INCOMPLETE;
        } catch (SQLException e) {
            err.println("engram bench locomo: reading the writer's tables failed: " + e.getMessage());
            return IngestBenchmark.INCOMPLETE;
        }
    }

    private static int measure(
            LocomoOptions options,
            LocomoData all,
            EngramClient client,
            WriterTables tables,
            PrintStream out,
            PrintStream err)
            throws InterruptedException, SQLException {
        LocomoData data = all.first(options.conversations());
        List<LocomoFeed> feeds = data.conversations().stream()
                .map(c -> LocomoFeed.of(c, options.runId()))
                .toList();
        List<String> texts = data.turns().stream().map(LocomoData.Turn::text).toList();

        err.println("loading " + options.variant() + " model …");
        RawEmbeddingBenchmark.Result raw;
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.create(
                OnnxMiniLmEmbedder.Options.defaults(options.variant()).withThreads(options.threads()))) {
            err.println("embedding " + texts.size() + " turn texts in process (baseline) …");
            raw = RawEmbeddingBenchmark.run(embedder, texts, options.rawBatch());
        }

        int requests = feeds.stream().mapToInt(f -> f.requests().size()).sum();
        err.println("feeding " + feeds.size() + " conversations (" + requests + " sessions) to " + client.baseUrl()
                + " in tags locomo-" + options.runId() + "-* …");
        LocomoRun.Settings settings = new LocomoRun.Settings(
                options.concurrency(),
                options.await(),
                options.pace(),
                options.pollInterval(),
                options.timeout(),
                options.settle(),
                Map.of("benchmark", "locomo", "runId", options.runId()));
        LocomoRun.Outcome outcome = new LocomoRun(client, tables, settings, err::println, Clock.systemUTC()).run(feeds);

        List<LocomoScore.Fed> fed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (LocomoRun.Sent sent : outcome.sent()) {
            if (sent.documentId() != null) {
                fed.add(new LocomoScore.Fed(sent.feed(), sent.documentId()));
            }
            if (sent.error() != null) {
                problems.add(sent.feed().conversationId() + ": " + sent.error());
            }
        }
        outcome.documents().forEach((id, status) -> {
            if (!status.startsWith("done")) {
                problems.add("document " + id + " ended " + status);
            }
        });
        if (outcome.waitProblem() != null) {
            problems.add("waiting stopped: " + outcome.waitProblem());
        }
        List<String> tags = fed.stream().map(f -> f.feed().containerTag()).toList();
        LocomoScore.Result score =
                LocomoScore.score(fed, tables.jobs(tags), tables.memories(tags), data.questions(), outcome.fed());

        new LocomoReport(out)
                .print(
                        new LocomoReport.Header(
                                options.runId(),
                                feeds.size(),
                                all.conversations().size(),
                                requests,
                                texts.size(),
                                data.questions().size(),
                                options.await()),
                        raw,
                        new LocomoReport.Feeding(
                                outcome.sent().stream()
                                        .mapToInt(LocomoRun.Sent::accepted)
                                        .sum(),
                                requests,
                                outcome.feeding(),
                                Duration.between(outcome.started(), outcome.ended()),
                                problems),
                        score);
        boolean clean = outcome.complete()
                && problems.isEmpty()
                && score.jobs().failures().isEmpty();
        return clean ? IngestBenchmark.OK : IngestBenchmark.INCOMPLETE;
    }
}
