package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One synthetic conversation of five turns (positions 0-4: c_D1-1, c_D1-2, c_D1-3, c_D2-1, c_D2-2), extracted by two
 * jobs with different extractors, and a handful of memories and questions whose figures are worked out by hand.
 */
class LocomoScoreTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final LocomoFeed FEED = LocomoFeed.of(LocomoFeedTest.conversation("c"), "r");
    private static final String TAG = FEED.containerTag();
    private static final List<LocomoScore.Fed> FED = List.of(new LocomoScore.Fed(FEED, "doc-c"));

    private static final List<WriterTables.Job> JOBS = List.of(
            job(1, "done", "offline", List.of(0, 1, 2), 0, 2),
            job(2, "done", "llm", List.of(3, 4), 10, 14),
            job(3, "failed", null, List.of(), 20, 21),
            new WriterTables.Job(
                    "doc-z", 1, "locomo-r-z", "conversation", "failed", "elsewhere", 1, null, List.of(0), T0, T0));

    private static final List<WriterTables.Memory> MEMORIES = List.of(
            memory("m1", 1, false, false, Map.of("doc-c", "t2")),
            memory("m2", 2, true, false, Map.of("doc-c", "t2,t3")),
            memory("m3", 1, true, true, Map.of("doc-c", "t4")),
            memory("m4", 1, true, false, Map.of("doc-c", "t9")),
            memory("m5", 1, true, false, Map.of("other-doc", "t0")));

    private static final List<LocomoData.Question> QUESTIONS = List.of(
            question("q1", "c", LocomoData.Category.SINGLE_HOP, "c_D1-3"),
            question("q2", "c", LocomoData.Category.MULTI_HOP, "c_D1-1", "c_D2-1"),
            question("q3", "c", LocomoData.Category.TEMPORAL, "c_D2-2"),
            question("q4", "z", LocomoData.Category.SINGLE_HOP, "z_D1-1"));

    @Test
    void theAllGroupCountsEveryTurnMemoryAndQuestionOfTheFedConversations() {
        LocomoScore.Figures all =
                LocomoScore.score(FED, JOBS, MEMORIES, QUESTIONS, null).all();

        assertThat(all.group()).isEqualTo(LocomoScore.ALL);
        assertThat(all.turns()).isEqualTo(5);
        assertThat(all.memories()).isEqualTo(5);
        assertThat(all.latestMemories())
                .as("m2, m4, m5: latest and not forgotten")
                .isEqualTo(3);
        assertThat(all.memoriesPerTurn()).isEqualTo(1.0);
        assertThat(all.coverage()).isEqualTo(new LocomoScore.Coverage(4, 3, 3, 2, 3));
        assertThat(all.latestCoverage())
                .as("the forgotten m3 was the only memory naming c_D2-2")
                .isEqualTo(new LocomoScore.Coverage(4, 2, 3, 1, 2));
        assertThat(all.byCategory())
                .containsEntry(LocomoData.Category.SINGLE_HOP, new LocomoScore.Coverage(1, 1, 1, 1, 1))
                .containsEntry(LocomoData.Category.MULTI_HOP, new LocomoScore.Coverage(2, 1, 1, 0, 1))
                .containsEntry(LocomoData.Category.TEMPORAL, new LocomoScore.Coverage(1, 1, 1, 1, 1))
                .doesNotContainKey(LocomoData.Category.OPEN_DOMAIN);
    }

    @Test
    void throughputRunsFromTheFirstJobCreatedToTheLastDone() {
        LocomoScore.Throughput throughput =
                LocomoScore.score(FED, JOBS, MEMORIES, QUESTIONS, null).all().throughput();

        assertThat(throughput.jobs()).isEqualTo(2);
        assertThat(throughput.turns()).isEqualTo(5);
        assertThat(throughput.window()).isEqualTo(Duration.ofSeconds(14));
        assertThat(throughput.medianJob()).isEqualTo(Duration.ofSeconds(3));
        assertThat(throughput.turnsPerSecond()).isCloseTo(5 / 14.0, within(1e-9));
    }

    @Test
    void jobsFinishedAfterTheLastRequestShowExtractionAlone() {
        LocomoScore.Throughput throughput = LocomoScore.throughput(JOBS.subList(0, 2), T0.plusSeconds(12));

        assertThat(throughput.afterFeeding()).isEqualTo(new LocomoScore.Drain(1, 2, Duration.ofSeconds(2)));
        assertThat(throughput.afterFeeding().turnsPerSecond()).isEqualTo(1.0);
        assertThat(LocomoScore.throughput(JOBS.subList(0, 2), T0.plusSeconds(30))
                        .afterFeeding())
                .isEqualTo(LocomoScore.Drain.NONE);
        assertThat(LocomoScore.throughput(JOBS.subList(0, 2), null).afterFeeding())
                .isEqualTo(LocomoScore.Drain.NONE);
    }

    @Test
    void eachExtractorGetsTheTurnsItExtractedAndTheMemoriesAndQuestionsOnThem() {
        List<LocomoScore.Figures> groups =
                LocomoScore.score(FED, JOBS, MEMORIES, QUESTIONS, null).groups();

        assertThat(groups).extracting(LocomoScore.Figures::group).containsExactly("all", "llm", "offline");
        LocomoScore.Figures llm = groups.get(1);
        LocomoScore.Figures offline = groups.get(2);
        assertThat(offline.turns()).isEqualTo(3);
        assertThat(offline.memories()).as("m1 and m2 start at t2").isEqualTo(2);
        assertThat(offline.coverage())
                .as("only q1's evidence is all offline")
                .isEqualTo(new LocomoScore.Coverage(1, 1, 1, 1, 1));
        assertThat(offline.throughput().window()).isEqualTo(Duration.ofSeconds(2));
        assertThat(llm.turns()).isEqualTo(2);
        assertThat(llm.memories()).isEqualTo(1);
        assertThat(llm.latestMemories()).isZero();
        assertThat(llm.coverage()).isEqualTo(new LocomoScore.Coverage(1, 1, 1, 1, 1));
        assertThat(llm.latestCoverage()).isEqualTo(new LocomoScore.Coverage(1, 0, 1, 0, 0));
    }

    @Test
    void jobOutcomesAndUnmappableSourcesAreCounted() {
        LocomoScore.Jobs jobs =
                LocomoScore.score(FED, JOBS, MEMORIES, QUESTIONS, null).jobs();

        assertThat(jobs.byStatus()).containsExactlyInAnyOrderEntriesOf(Map.of("done", 2, "failed", 1));
        assertThat(jobs.failures()).containsExactly(Map.entry("boom", 1));
        assertThat(jobs.turnsNotExtracted()).isZero();
        assertThat(jobs.unknownRefs()).as("t9 is past the last turn").isEqualTo(1);
        assertThat(jobs.memoriesWithoutTurns())
                .as("m4, and m5 from another document")
                .isEqualTo(2);
    }

    @Test
    void turnsOfAFailedJobAreNotExtracted() {
        List<WriterTables.Job> jobs =
                List.of(job(1, "done", "offline", List.of(0, 1, 2), 0, 1), job(2, "failed", null, List.of(3, 4), 2, 3));

        LocomoScore.Result result = LocomoScore.score(FED, jobs, List.of(), QUESTIONS, null);

        assertThat(result.jobs().turnsNotExtracted()).isEqualTo(2);
        assertThat(result.all().coverage().turnShare()).isZero();
        assertThat(result.groups()).extracting(LocomoScore.Figures::group).containsExactly("all", "offline");
    }

    @Test
    void coverageCountsDistinctEvidenceTurnsAndWholeOrPartialQuestions() {
        List<LocomoData.Question> questions = List.of(
                question("a", "c", LocomoData.Category.SINGLE_HOP, "t1", "t2"),
                question("b", "c", LocomoData.Category.SINGLE_HOP, "t2", "t3"),
                question("d", "c", LocomoData.Category.SINGLE_HOP, "t4"));

        LocomoScore.Coverage coverage = LocomoScore.coverage(questions, Set.of("t2", "t3"));

        assertThat(coverage).isEqualTo(new LocomoScore.Coverage(4, 2, 3, 1, 2));
        assertThat(coverage.turnShare()).isEqualTo(0.5);
        assertThat(coverage.allShare()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(coverage.anyShare()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(LocomoScore.coverage(List.of(), Set.of()).turnShare()).isZero();
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(LocomoScore.median(List.of())).isEqualTo(Duration.ZERO);
        assertThat(LocomoScore.median(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(9))))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(LocomoScore.median(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))))
                .isEqualTo(Duration.ofMillis(1500));
    }

    static WriterTables.Job job(
            long revision,
            String status,
            String extractor,
            List<Integer> positions,
            int createdSecond,
            int doneSecond) {
        return new WriterTables.Job(
                "doc-c",
                revision,
                TAG,
                "conversation",
                status,
                "failed".equals(status) ? "boom" : null,
                1,
                extractor,
                positions,
                T0.plusSeconds(createdSecond),
                T0.plusSeconds(doneSecond));
    }

    private static WriterTables.Memory memory(
            String id, int version, boolean latest, boolean forgotten, Map<String, String> sources) {
        return new WriterTables.Memory(id, TAG, version, latest, forgotten, new HashMap<>(sources));
    }

    static LocomoData.Question question(
            String id, String conversation, LocomoData.Category category, String... evidence) {
        return new LocomoData.Question(id, conversation, category, List.of(evidence));
    }
}
