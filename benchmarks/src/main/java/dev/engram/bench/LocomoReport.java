package dev.engram.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Prints the LoCoMo benchmark: a labelled table with one column per group (all, then each extractor), the baselines
 * and ratios, and one JSON line with the same figures for scripts.
 */
final class LocomoReport {

    private static final String RULE = "-".repeat(92);
    private static final int LABEL = 34;
    private static final int COLUMN = 26;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the run fed.
     *
     * @param runId the run's id
     * @param conversations conversations fed
     * @param ofConversations conversations in the data
     * @param sessions sessions (one request each)
     * @param turns turns
     * @param questions answerable questions about those conversations
     * @param await what each session waited for before the next was sent
     */
    record Header(
            String runId,
            int conversations,
            int ofConversations,
            int sessions,
            int turns,
            int questions,
            LocomoRun.Await await) {}

    /**
     * How feeding went.
     *
     * @param requests requests accepted
     * @param of requests planned
     * @param feeding first request → last answer
     * @param total first request → every job ended
     * @param problems a line per failed conversation, document or wait
     */
    record Feeding(int requests, int of, Duration feeding, Duration total, List<String> problems) {
        Feeding {
            problems = List.copyOf(problems);
        }
    }

    private final PrintStream out;

    LocomoReport(PrintStream out) {
        this.out = out;
    }

    /** The whole report: table, baselines and the JSON line. */
    void print(Header header, RawEmbeddingBenchmark.Result raw, Feeding feeding, LocomoScore.Result score) {
        out.println(RULE);
        out.printf(
                Locale.ROOT,
                "Engram LoCoMo extraction benchmark   run %s, %d of %d conversations, sessions await %s%n",
                header.runId(),
                header.conversations(),
                header.ofConversations(),
                header.await().name().toLowerCase(Locale.ROOT));
        out.printf(
                Locale.ROOT,
                "%-" + LABEL + "s%,d turns in %,d sessions; %,d answerable questions (adversarial excluded)%n",
                "data",
                header.turns(),
                header.sessions(),
                header.questions());
        out.println(RULE);
        out.printf(
                Locale.ROOT,
                "%-" + LABEL + "s%s, %d threads, in process: %,d turn texts in %s (calls of %,d)%n",
                "raw embedder (baseline)",
                raw.modelId(),
                raw.threads(),
                raw.texts(),
                Report.seconds(raw.elapsed()),
                raw.batchSize());
        out.printf(
                Locale.ROOT,
                "%-" + LABEL + "s%,.1f texts/s   %,.0f tokens/s%n",
                "  throughput",
                raw.textsPerSecond(),
                raw.tokensPerSecond());
        out.printf(
                Locale.ROOT,
                "%-" + LABEL + "s%,d of %,d requests accepted in %s; every job ended %s after the first request%n",
                "fed (POST /v4/conversations)",
                feeding.requests(),
                feeding.of(),
                Report.seconds(feeding.feeding()),
                Report.seconds(feeding.total()));
        LocomoScore.Jobs jobs = score.jobs();
        out.printf(
                Locale.ROOT,
                "%-" + LABEL + "s%s; turns not extracted %,d; memories naming no turn %,d; unknown refs %,d%n",
                "extraction jobs",
                jobs.byStatus().isEmpty() ? "none" : jobs.byStatus().toString(),
                jobs.turnsNotExtracted(),
                jobs.memoriesWithoutTurns(),
                jobs.unknownRefs());
        jobs.failures().entrySet().stream()
                .limit(5)
                .forEach(e -> out.printf(Locale.ROOT, "  ! %d job(s) failed: %s%n", e.getValue(), e.getKey()));
        feeding.problems().forEach(problem -> out.println("  ! " + problem));
        out.println(RULE);
        table(score.groups());
        out.println(RULE);
        baselines(score.all(), raw);
        out.println(RULE);
        out.println(json(header, raw, feeding, score));
    }

    private void table(List<LocomoScore.Figures> groups) {
        row("", groups, LocomoScore.Figures::group);
        row("turns (sent / extracted)", groups, g -> String.format(Locale.ROOT, "%,d", g.turns()));
        row(
                "memories: all versions / latest",
                groups,
                g -> String.format(Locale.ROOT, "%,d / %,d", g.memories(), g.latestMemories()));
        row(
                "memories per turn",
                groups,
                g -> String.format(Locale.ROOT, "%.2f / %.2f", g.memoriesPerTurn(), g.latestPerTurn()));
        row("evidence turns covered", groups, g -> turns(g.coverage()));
        row("  by latest memories only", groups, g -> turns(g.latestCoverage()));
        row("questions: all evidence covered", groups, g -> questions(g.coverage(), true));
        row("questions: some evidence covered", groups, g -> questions(g.coverage(), false));
        for (LocomoData.Category category : LocomoData.Category.values()) {
            row("  " + category.label() + ": turns / all / some", groups, g -> {
                LocomoScore.Coverage c = g.byCategory().get(category);
                return c == null
                        ? "-"
                        : String.format(
                                Locale.ROOT,
                                "%.2f / %.2f / %.2f (%d)",
                                c.turnShare(),
                                c.allShare(),
                                c.anyShare(),
                                c.questions());
            });
        }
        row(
                "extraction turns/s",
                groups,
                g -> String.format(Locale.ROOT, "%,.1f", g.throughput().turnsPerSecond()));
        row(
                "  jobs done, window",
                groups,
                g -> String.format(
                        Locale.ROOT,
                        "%,d in %s",
                        g.throughput().jobs(),
                        Report.seconds(g.throughput().window())));
        row(
                "  median job (queued → done)",
                groups,
                g -> Report.seconds(g.throughput().medianJob()));
        row("  after the last request", groups, g -> {
            LocomoScore.Drain after = g.throughput().afterFeeding();
            return String.format(
                    Locale.ROOT,
                    "%,.1f (%,d jobs, %s)",
                    after.turnsPerSecond(),
                    after.jobs(),
                    Report.seconds(after.window()));
        });
    }

    private void baselines(LocomoScore.Figures all, RawEmbeddingBenchmark.Result raw) {
        out.println("BASELINES, same run:");
        out.println("  coverage: one memory per turn stores every turn — coverage 1.00 with 1.00 memory per turn");
        out.printf(
                Locale.ROOT,
                "  RATIO memories per turn ÷ 1.00 = %.2f   evidence-turn coverage ÷ 1.00 = %.2f"
                        + "   coverage per memory ÷ baseline's = %.2f%n",
                all.memoriesPerTurn(),
                all.coverage().turnShare(),
                coveragePerMemory(all));
        out.printf(
                Locale.ROOT, "  throughput: raw embedder on the same turn texts %,.1f texts/s%n", raw.textsPerSecond());
        out.printf(
                Locale.ROOT,
                "  RATIO extraction turns/s ÷ raw embedder texts/s = %,.1f ÷ %,.1f = %.2f%n",
                all.throughput().turnsPerSecond(),
                raw.textsPerSecond(),
                throughputRatio(all, raw));
        out.printf(
                Locale.ROOT,
                "  RATIO after the last request, when extraction no longer competes with indexing = %,.1f ÷ %,.1f = %.2f%n",
                all.throughput().afterFeeding().turnsPerSecond(),
                raw.textsPerSecond(),
                all.throughput().afterFeeding().turnsPerSecond() / raw.textsPerSecond());
    }

    /** Coverage per memory per turn, against the one-memory-per-turn store's 1.0 ÷ 1.0. */
    static double coveragePerMemory(LocomoScore.Figures figures) {
        return figures.memoriesPerTurn() == 0 ? 0 : figures.coverage().turnShare() / figures.memoriesPerTurn();
    }

    /** Extraction turns per second against the raw embedder's texts per second. */
    static double throughputRatio(LocomoScore.Figures figures, RawEmbeddingBenchmark.Result raw) {
        return figures.throughput().turnsPerSecond() / raw.textsPerSecond();
    }

    private void row(String label, List<LocomoScore.Figures> groups, Function<LocomoScore.Figures, String> cell) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + LABEL + "s", label));
        for (LocomoScore.Figures group : groups) {
            line.append(String.format(Locale.ROOT, "%-" + COLUMN + "s", cell.apply(group)));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String turns(LocomoScore.Coverage c) {
        return String.format(Locale.ROOT, "%.3f (%,d/%,d)", c.turnShare(), c.coveredTurns(), c.evidenceTurns());
    }

    private static String questions(LocomoScore.Coverage c, boolean all) {
        int count = all ? c.allCovered() : c.anyCovered();
        return String.format(Locale.ROOT, "%.3f (%,d/%,d)", all ? c.allShare() : c.anyShare(), count, c.questions());
    }

    /** The figures as one JSON object on one line. */
    static String json(Header header, RawEmbeddingBenchmark.Result raw, Feeding feeding, LocomoScore.Result score) {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "locomo-extraction");
        root.put("runId", header.runId());
        root.put("await", header.await().name().toLowerCase(Locale.ROOT));
        root.put("conversations", header.conversations());
        root.put("sessions", header.sessions());
        root.put("turns", header.turns());
        root.put("questions", header.questions());
        root.putObject("raw")
                .put("model", raw.modelId())
                .put("threads", raw.threads())
                .put("texts", raw.texts())
                .put("seconds", round(raw.elapsed().toNanos() / 1e9))
                .put("textsPerSecond", round(raw.textsPerSecond()))
                .put("tokensPerSecond", round(raw.tokensPerSecond()));
        ObjectNode fed = root.putObject("feeding")
                .put("requests", feeding.requests())
                .put("of", feeding.of())
                .put("seconds", round(feeding.feeding().toNanos() / 1e9))
                .put("totalSeconds", round(feeding.total().toNanos() / 1e9));
        feeding.problems().forEach(fed.putArray("problems")::add);
        ObjectNode jobs = root.putObject("jobs");
        score.jobs().byStatus().forEach(jobs.putObject("byStatus")::put);
        score.jobs().failures().forEach(jobs.putObject("failures")::put);
        jobs.put("turnsNotExtracted", score.jobs().turnsNotExtracted())
                .put("memoriesWithoutTurns", score.jobs().memoriesWithoutTurns())
                .put("unknownRefs", score.jobs().unknownRefs());
        var groups = root.putArray("groups");
        for (LocomoScore.Figures g : score.groups()) {
            ObjectNode node = groups.addObject()
                    .put("group", g.group())
                    .put("turns", g.turns())
                    .put("memories", g.memories())
                    .put("latestMemories", g.latestMemories())
                    .put("memoriesPerTurn", round(g.memoriesPerTurn()))
                    .put("latestMemoriesPerTurn", round(g.latestPerTurn()));
            coverage(node.putObject("coverage"), g.coverage());
            coverage(node.putObject("latestCoverage"), g.latestCoverage());
            ObjectNode categories = node.putObject("byCategory");
            for (Map.Entry<LocomoData.Category, LocomoScore.Coverage> e : sorted(g.byCategory())) {
                coverage(categories.putObject(e.getKey().label()), e.getValue());
            }
            node.putObject("throughput")
                    .put("jobs", g.throughput().jobs())
                    .put("turns", g.throughput().turns())
                    .put("windowSeconds", round(g.throughput().window().toNanos() / 1e9))
                    .put("medianJobSeconds", round(g.throughput().medianJob().toNanos() / 1e9))
                    .put("turnsPerSecond", round(g.throughput().turnsPerSecond()))
                    .put("afterFeedingJobs", g.throughput().afterFeeding().jobs())
                    .put("afterFeedingTurns", g.throughput().afterFeeding().turns())
                    .put(
                            "afterFeedingSeconds",
                            round(g.throughput().afterFeeding().window().toNanos() / 1e9))
                    .put(
                            "afterFeedingTurnsPerSecond",
                            round(g.throughput().afterFeeding().turnsPerSecond()));
            node.putObject("ratios")
                    .put("memoriesPerTurnVsOnePerTurn", round(g.memoriesPerTurn()))
                    .put("coverageVsOnePerTurn", round(g.coverage().turnShare()))
                    .put("coveragePerMemoryVsOnePerTurn", round(coveragePerMemory(g)))
                    .put("throughputVsRawEmbedder", round(throughputRatio(g, raw)))
                    .put(
                            "afterFeedingThroughputVsRawEmbedder",
                            round(g.throughput().afterFeeding().turnsPerSecond() / raw.textsPerSecond()));
        }
        return root.toString();
    }

    private static void coverage(ObjectNode node, LocomoScore.Coverage c) {
        node.put("evidenceTurns", c.evidenceTurns())
                .put("coveredTurns", c.coveredTurns())
                .put("turnShare", round(c.turnShare()))
                .put("questions", c.questions())
                .put("allCovered", c.allCovered())
                .put("allShare", round(c.allShare()))
                .put("anyCovered", c.anyCovered())
                .put("anyShare", round(c.anyShare()));
    }

    private static List<Map.Entry<LocomoData.Category, LocomoScore.Coverage>> sorted(
            Map<LocomoData.Category, LocomoScore.Coverage> byCategory) {
        List<Map.Entry<LocomoData.Category, LocomoScore.Coverage>> entries = new ArrayList<>(byCategory.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
