package dev.engram.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieval evaluation on LoCoMo (issue #5, "Quality"): how well {@code POST /v3/search} finds the turns that answer
 * LoCoMo's questions, per retrieval mode.
 *
 * <ol>
 *   <li>Reads LoCoMo's per-turn job files from the eval-data folder (never from the repository) and checks the stack.
 *   <li>Adds every turn as a document, each conversation in a container tag of its own, and waits until all are
 *       done.
 *   <li>Asks every question of categories 1–4 with evidence in each retrieval mode, in its conversation's tag.
 *   <li>Prints recall@k (any and all evidence turns), nDCG@10 and MRR per mode and category, and search latency.
 * </ol>
 */
public final class RetrievalBenchmark {

    private RetrievalBenchmark() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        RetrievalOptions options;
        try {
            options = RetrievalOptions.parse(args, env);
        } catch (BenchmarkOptions.HelpRequested e) {
            out.print(RetrievalOptions.USAGE);
            return IngestBenchmark.OK;
        } catch (IllegalArgumentException e) {
            err.println("engram bench retrieval: " + e.getMessage());
            return IngestBenchmark.UNUSABLE;
        }
        LocomoData data;
        try {
            if (!Files.isDirectory(options.data())) {
                err.println("engram bench retrieval: no eval-data folder at " + options.data()
                        + " (pass --data or set ENGRAM_EVAL_DATA)");
                return IngestBenchmark.UNUSABLE;
            }
            data = LocomoData.load(options.data());
        } catch (IOException | IllegalArgumentException e) {
            err.println("engram bench retrieval: cannot read LoCoMo: " + e.getMessage());
            return IngestBenchmark.UNUSABLE;
        }
        try (EngramClient client = new EngramClient(options.baseUrl(), options.apiKey(), Duration.ofSeconds(60))) {
            try {
                client.checkReachable();
            } catch (EngramClient.StackUnavailableException e) {
                err.println("engram bench retrieval: " + e.getMessage());
                return IngestBenchmark.UNUSABLE;
            }
            return measure(options, data, client, out, err);
        }
    }

    private static int measure(
            RetrievalOptions options, LocomoData all, EngramClient client, PrintStream out, PrintStream err) {
        LocomoData data = all.first(options.conversations());
        RetrievalCorpus corpus = RetrievalCorpus.of(data, options.runId());

        err.println("adding " + corpus.documents().size() + " turns of "
                + data.conversations().size() + " conversations to " + client.baseUrl() + " in tags " + options.runId()
                + "-conv<n> …");
        IngestRun.Settings settings = new IngestRun.Settings(600, 2, 4, options.pollInterval(), options.timeout());
        IngestRun.Outcome ingest = new IngestRun(client, settings, err::println).run(corpus.documents(), Map.of());

        Map<String, String> diaIds = new HashMap<>();
        ingest.documentIds()
                .forEach((customId, id) -> diaIds.put(id, corpus.diaIds().get(customId)));

        RetrievalRun asking = new RetrievalRun(client, err::println);
        List<RetrievalRun.ModeResult> results = new ArrayList<>();
        for (RetrievalOptions.Mode mode : options.modes()) {
            err.println("asking " + corpus.probes().size() + " questions, retrieval " + mode.wire() + " …");
            results.add(asking.ask(mode, corpus.probes(), diaIds));
        }

        new RetrievalReport(out)
                .print(
                        new RetrievalReport.Header(
                                options.runId(),
                                data.conversations().size(),
                                all.conversations().size(),
                                ingest,
                                corpus),
                        results);
        boolean clean = ingest.clean() && results.stream().allMatch(r -> r.unavailable() == null && r.failed() == 0);
        return clean ? IngestBenchmark.OK : IngestBenchmark.INCOMPLETE;
    }
}
