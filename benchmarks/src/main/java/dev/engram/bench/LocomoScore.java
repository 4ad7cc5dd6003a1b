package dev.engram.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The figures of a LoCoMo extraction run, from what the writer left in its tables: how many memories it produced, how
 * many evidence turns they name as their source (provenance coverage), and how fast the extraction jobs went — for all
 * jobs together and per extractor. Pure: no I/O.
 *
 * <p>A turn belongs to the extractor of the finished job that extracted it; a memory to the extractor of the first turn
 * its source refs name; a question to an extractor when all its evidence turns do.
 */
final class LocomoScore {

    /** The group of every turn, memory and question, whatever extracted them. */
    static final String ALL = "all";

    private LocomoScore() {}

    /** A conversation as it was fed: its plan and the id of the document it became. */
    record Fed(LocomoFeed feed, String documentId) {
        Fed {
            Objects.requireNonNull(feed, "feed");
            Objects.requireNonNull(documentId, "documentId");
        }
    }

    /**
     * How much evidence a set of memories names.
     *
     * @param evidenceTurns distinct evidence turns of the questions
     * @param coveredTurns those named by at least one memory
     * @param questions answerable questions
     * @param allCovered questions whose every evidence turn is covered
     * @param anyCovered questions with at least one covered evidence turn
     */
    record Coverage(int evidenceTurns, int coveredTurns, int questions, int allCovered, int anyCovered) {

        /** Share of evidence turns covered; 0 when there are none. */
        double turnShare() {
            return share(coveredTurns, evidenceTurns);
        }

        /** Share of questions with all evidence covered. */
        double allShare() {
            return share(allCovered, questions);
        }

        /** Share of questions with some evidence covered. */
        double anyShare() {
            return share(anyCovered, questions);
        }
    }

    /**
     * How fast the finished jobs went.
     *
     * @param jobs finished ({@code done}) jobs
     * @param turns turns those jobs extracted from
     * @param window from the first job created to the last one finished
     * @param medianJob median of each job's created → finished (queueing included)
     * @param afterFeeding the jobs that finished after the last request was answered, when extraction no longer
     *     competes with indexing new revisions
     */
    record Throughput(int jobs, int turns, Duration window, Duration medianJob, Drain afterFeeding) {

        /** Turns extracted per second of the window; 0 without jobs. */
        double turnsPerSecond() {
            return perSecond(turns, window);
        }
    }

    /**
     * The jobs that finished after some instant.
     *
     * @param jobs how many
     * @param turns turns they extracted from
     * @param window from the instant to the last of them finished
     */
    record Drain(int jobs, int turns, Duration window) {

        static final Drain NONE = new Drain(0, 0, Duration.ZERO);

        /** Turns extracted per second of the window; 0 without jobs. */
        double turnsPerSecond() {
            return perSecond(turns, window);
        }
    }

    /**
     * The figures of one group.
     *
     * @param group {@link #ALL} or an extractor's name
     * @param turns turns sent ({@link #ALL}) or extracted by this extractor
     * @param memories memory rows, every version
     * @param latestMemories latest, unforgotten versions
     * @param coverage evidence named by any version
     * @param latestCoverage evidence named by latest, unforgotten versions
     * @param byCategory coverage by any version, per question category (categories with questions only)
     * @param throughput the group's jobs
     */
    record Figures(
            String group,
            int turns,
            int memories,
            int latestMemories,
            Coverage coverage,
            Coverage latestCoverage,
            Map<LocomoData.Category, Coverage> byCategory,
            Throughput throughput) {

        Figures {
            byCategory = Map.copyOf(byCategory);
        }

        /** Memories (every version) per turn: the compression against one memory per turn. */
        double memoriesPerTurn() {
            return share(memories, turns);
        }

        /** Latest, unforgotten memories per turn. */
        double latestPerTurn() {
            return share(latestMemories, turns);
        }
    }

    /**
     * Job outcomes of the run.
     *
     * @param byStatus job count per status
     * @param failures failed jobs per reason, most frequent first
     * @param turnsNotExtracted turns sent that no finished job extracted
     * @param unknownRefs source-ref positions that name no turn that was sent
     * @param memoriesWithoutTurns memories whose sources name no turn of their conversation
     */
    record Jobs(
            Map<String, Integer> byStatus,
            Map<String, Integer> failures,
            int turnsNotExtracted,
            int unknownRefs,
            int memoriesWithoutTurns) {}

    /**
     * Everything measured.
     *
     * @param groups {@link #ALL} first, then each extractor by name
     */
    record Result(List<Figures> groups, Jobs jobs) {

        /** The {@link #ALL} group. */
        Figures all() {
            return groups.getFirst();
        }
    }

    /**
     * Scores the memories and jobs of {@code fed} conversations against the questions about them.
     *
     * @param fedAt when the last request was answered, or {@code null} if unknown
     */
    static Result score(
            List<Fed> fed,
            List<WriterTables.Job> jobs,
            List<WriterTables.Memory> memories,
            List<LocomoData.Question> questions,
            Instant fedAt) {
        Map<String, Fed> byTag = new HashMap<>();
        fed.forEach(f -> byTag.put(f.feed().containerTag(), f));
        Set<String> conversations = new HashSet<>();
        fed.forEach(f -> conversations.add(f.feed().conversationId()));
        List<LocomoData.Question> asked = questions.stream()
                .filter(q -> conversations.contains(q.conversation()))
                .toList();

        Map<String, String> turnExtractor = new HashMap<>();
        List<WriterTables.Job> done = new ArrayList<>();
        for (WriterTables.Job job : jobs) {
            Fed f = byTag.get(job.containerTag());
            if (f == null || !"done".equals(job.status())) {
                continue;
            }
            done.add(job);
            String extractor = job.extractor() == null ? "unnamed" : job.extractor();
            for (int position : job.positions()) {
                f.feed().customIdAt(position).ifPresent(turn -> turnExtractor.put(turn, extractor));
            }
        }

        int unknownRefs = 0;
        int withoutTurns = 0;
        List<Attributed> attributed = new ArrayList<>(memories.size());
        for (WriterTables.Memory memory : memories) {
            Fed f = byTag.get(memory.containerTag());
            List<String> turns = new ArrayList<>();
            if (f != null) {
                for (int position :
                        WriterTables.sourcePositions(memory.sources().get(f.documentId()))) {
                    var turn = f.feed().customIdAt(position);
                    if (turn.isPresent()) {
                        turns.add(turn.get());
                    } else {
                        unknownRefs++;
                    }
                }
            }
            if (turns.isEmpty()) {
                withoutTurns++;
            }
            String extractor = turns.isEmpty() ? null : turnExtractor.get(turns.getFirst());
            attributed.add(new Attributed(memory, turns, extractor));
        }

        int turnsSent = fed.stream().mapToInt(f -> f.feed().turnCount()).sum();
        List<Figures> groups = new ArrayList<>();
        groups.add(figures(ALL, turnsSent, turn -> true, attributed, asked, done, fedAt));
        new TreeSet<>(turnExtractor.values())
                .forEach(extractor -> groups.add(figures(
                        extractor,
                        (int) turnExtractor.values().stream()
                                .filter(extractor::equals)
                                .count(),
                        turn -> extractor.equals(turnExtractor.get(turn)),
                        attributed.stream()
                                .filter(a -> extractor.equals(a.extractor()))
                                .toList(),
                        asked,
                        done.stream()
                                .filter(j -> extractor.equals(j.extractor()))
                                .toList(),
                        fedAt)));

        Map<String, Integer> byStatus = new LinkedHashMap<>();
        Map<String, Integer> failures = new HashMap<>();
        for (WriterTables.Job job : jobs) {
            if (byTag.containsKey(job.containerTag())) {
                byStatus.merge(job.status(), 1, Integer::sum);
                if ("failed".equals(job.status())) {
                    failures.merge(job.reason() == null ? "(no reason)" : job.reason(), 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> sortedFailures = new LinkedHashMap<>();
        failures.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sortedFailures.put(e.getKey(), e.getValue()));
        return new Result(
                groups,
                new Jobs(byStatus, sortedFailures, turnsSent - turnExtractor.size(), unknownRefs, withoutTurns));
    }

    /** A memory with the LoCoMo turns its sources name and the extractor it is counted under. */
    private record Attributed(WriterTables.Memory memory, List<String> turns, String extractor) {}

    private static Figures figures(
            String group,
            int turns,
            Predicate<String> turnInGroup,
            List<Attributed> memories,
            List<LocomoData.Question> questions,
            List<WriterTables.Job> jobs,
            Instant fedAt) {
        Set<String> covered = new HashSet<>();
        Set<String> coveredLatest = new HashSet<>();
        int latest = 0;
        for (Attributed a : memories) {
            covered.addAll(a.turns());
            if (a.memory().latest() && !a.memory().forgotten()) {
                latest++;
                coveredLatest.addAll(a.turns());
            }
        }
        List<LocomoData.Question> inGroup = questions.stream()
                .filter(q -> q.evidence().stream().allMatch(turnInGroup))
                .toList();
        Map<LocomoData.Category, Coverage> byCategory = new EnumMap<>(LocomoData.Category.class);
        for (LocomoData.Category category : LocomoData.Category.values()) {
            List<LocomoData.Question> ofCategory =
                    inGroup.stream().filter(q -> q.category() == category).toList();
            if (!ofCategory.isEmpty()) {
                byCategory.put(category, coverage(ofCategory, covered));
            }
        }
        return new Figures(
                group,
                turns,
                memories.size(),
                latest,
                coverage(inGroup, covered),
                coverage(inGroup, coveredLatest),
                byCategory,
                throughput(jobs, fedAt));
    }

    /** Coverage of {@code questions}' evidence by the turns in {@code covered}. */
    static Coverage coverage(List<LocomoData.Question> questions, Set<String> covered) {
        Set<String> evidence = new HashSet<>();
        int all = 0;
        int any = 0;
        for (LocomoData.Question question : questions) {
            evidence.addAll(question.evidence());
            long hits = question.evidence().stream().filter(covered::contains).count();
            if (hits == question.evidence().size()) {
                all++;
            }
            if (hits > 0) {
                any++;
            }
        }
        int coveredTurns = (int) evidence.stream().filter(covered::contains).count();
        return new Coverage(evidence.size(), coveredTurns, questions.size(), all, any);
    }

    /**
     * Throughput of finished jobs: turns over the created → finished window, the median job, and the jobs finished
     * after {@code fedAt} (none if it is {@code null}).
     */
    static Throughput throughput(List<WriterTables.Job> jobs, Instant fedAt) {
        List<WriterTables.Job> timed = jobs.stream()
                .filter(j -> j.createdAt() != null && j.updatedAt() != null)
                .sorted(Comparator.comparing(WriterTables.Job::updatedAt))
                .toList();
        if (timed.isEmpty()) {
            return new Throughput(0, 0, Duration.ZERO, Duration.ZERO, Drain.NONE);
        }
        Instant first = timed.stream()
                .map(WriterTables.Job::createdAt)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Instant last = timed.getLast().updatedAt();
        List<Duration> durations = timed.stream()
                .map(j -> Duration.between(j.createdAt(), j.updatedAt()))
                .sorted()
                .toList();
        int turns = timed.stream().mapToInt(j -> j.positions().size()).sum();
        Drain after = Drain.NONE;
        if (fedAt != null && last.isAfter(fedAt)) {
            List<WriterTables.Job> later =
                    timed.stream().filter(j -> j.updatedAt().isAfter(fedAt)).toList();
            after = new Drain(
                    later.size(),
                    later.stream().mapToInt(j -> j.positions().size()).sum(),
                    Duration.between(fedAt, last));
        }
        return new Throughput(timed.size(), turns, Duration.between(first, last), median(durations), after);
    }

    /** The median of sorted durations (the mean of the middle two for an even count). */
    static Duration median(List<Duration> sorted) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1
                ? sorted.get(middle)
                : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }

    private static double perSecond(int count, Duration duration) {
        return duration.isZero() || duration.isNegative() ? 0 : count / (duration.toNanos() / 1e9);
    }

    static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
