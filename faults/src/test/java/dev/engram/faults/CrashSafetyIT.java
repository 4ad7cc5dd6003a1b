package dev.engram.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Crash safety of the ingestion pipeline, over real processes (see {@link FaultStack}): memory-writer killed mid-batch
 * and mid-extraction, the Kafka broker restarted during ingest, PostgreSQL stopped for a few seconds. Each scenario
 * works in its own organisation and then checks, from the tables, the index and the topics ({@link PipelineState}),
 * that every accepted document ended {@code done} with exactly its chunks and points, that no memory was made twice,
 * that every extraction job finished and that no event was left behind or lost.
 *
 * <p>The processes are shared by the scenarios (starting them is most of the cost); a scenario that leaves a service
 * dead has it started again before the next one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashSafetyIT {

    /** The longest a scenario waits for its documents and their memories after the fault. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);

    private static FaultStack stack;
    private static IngestClient client;
    private static PipelineState state;

    @BeforeAll
    static void startStack() throws Exception {
        long began = System.nanoTime();
        stack = FaultStack.startInfrastructure();
        stack.start(FaultStack.INGEST);
        stack.start(FaultStack.WRITER);
        client = new IngestClient(stack.baseUri(FaultStack.INGEST));
        state = new PipelineState(stack);
        log("stack ready in %d ms", (System.nanoTime() - began) / 1_000_000);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void servicesRun() throws Exception {
        for (String service : List.of(FaultStack.INGEST, FaultStack.WRITER)) {
            if (!stack.isAlive(service)) {
                log("%s is not running after the previous scenario; starting it", service);
                stack.start(service);
            }
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killedWriterLosesAndDuplicatesNothing() throws Exception {
        IngestClient.Org org = client.createOrg(stack.bootstrapKey(), "faults-kill-writer");
        List<Corpus.Doc> docs = Corpus.of("kill", 160, 8);
        Ledger ledger = new Ledger();
        for (int from = 0; from < docs.size(); from += 80) {
            List<Corpus.Doc> batch = docs.subList(from, from + 80);
            ledger.record(batch, client.postBatch(org.key(), batch));
        }
        assertThat(ledger.accepted()).as("accepted documents (%s)", ledger).hasSize(docs.size());

        // SIGKILL while some documents are done and others are still in the pipeline.
        int doneAtKill =
                awaitThenKill(() -> done(org) >= 20, "documents done", () -> done(org), () -> done(org) >= docs.size());
        log("memory-writer killed mid-batch with %d of %d documents done", doneAtKill, docs.size());
        assertThat(doneAtKill)
                .as("documents done when memory-writer was killed")
                .isLessThan(docs.size());
        stack.start(FaultStack.WRITER);
        awaitOrFail(
                () -> state.documentStatuses(org.id()).getOrDefault("done", 0)
                                + state.documentStatuses(org.id()).getOrDefault("failed", 0)
                        >= docs.size(),
                "documents finished after the restart",
                () -> state.documentStatuses(org.id()).toString());

        // SIGKILL again while memory extraction jobs are running: they are taken up again after their lease.
        Map<String, Integer> jobsAtKill = null;
        if (extractionUnfinished(org)) {
            int finishedJobs = awaitThenKill(
                    () -> state.jobStatuses(org.id()).getOrDefault("done", 0) >= 1,
                    "extraction jobs done",
                    () -> state.jobStatuses(org.id()).getOrDefault("done", 0),
                    () -> !extractionUnfinished(org));
            jobsAtKill = state.jobStatuses(org.id());
            log("memory-writer killed mid-extraction with jobs %s (%d done)", jobsAtKill, finishedJobs);
            stack.start(FaultStack.WRITER);
        } else {
            log("memory extraction was over before it could be killed; that kill is skipped");
        }

        awaitSettled(org, docs.size());
        verify(org, ledger);
    }

    @Test
    @Order(2)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void brokerRestartDuringIngestLosesNothing() throws Exception {
        IngestClient.Org org = client.createOrg(stack.bootstrapKey(), "faults-kafka-restart");
        Ledger ledger = new Ledger();
        Poster poster = Poster.start(client, org.key(), "kafka", 20, 8, Duration.ofMillis(250), ledger);

        Thread.sleep(1_500);
        Instant stopped = Instant.now();
        stack.stopKafka();
        log("Kafka stopped after %d batches were posted", poster.posted());
        Thread.sleep(5_000);
        stack.startKafka();
        log(
                "Kafka started again after %d ms down, %d batches posted so far",
                Duration.between(stopped, Instant.now()).toMillis(), poster.posted());
        poster.join();

        log("posting during the broker restart: %s", ledger);
        assertThat(ledger.statuses())
                .as(
                        "every add is accepted while the broker is away (the outbox holds the events): %s",
                        ledger.problems())
                .containsOnlyKeys(200);
        awaitSettled(org, poster.docs().size());
        verify(org, ledger);
    }

    @Test
    @Order(3)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void postgresOutageFailsRequestsClearlyAndLosesNothing() throws Exception {
        IngestClient.Org org = client.createOrg(stack.bootstrapKey(), "faults-postgres-outage");
        Ledger ledger = new Ledger();
        Poster poster = Poster.start(client, org.key(), "pg", 24, 8, Duration.ofMillis(250), ledger);

        Thread.sleep(2_000);
        Instant stopped = Instant.now();
        stack.stopPostgres();
        log("PostgreSQL stopped after %d batches were posted", poster.posted());
        Thread.sleep(5_000);
        stack.startPostgres();
        log(
                "PostgreSQL started again after %d ms down, %d batches posted so far",
                Duration.between(stopped, Instant.now()).toMillis(), poster.posted());
        poster.join();

        log("posting during the PostgreSQL outage: %s; refused: %s", ledger, ledger.problems());
        assertThat(ledger.unanswered())
                .as("requests answered within %s (none hangs)", IngestClient.REQUEST_TIMEOUT)
                .isEmpty();
        assertThat(ledger.statuses().keySet())
                .as("each request either accepted or refused with a 5xx")
                .allMatch(status -> status == 200 || (status >= 500 && status < 600));
        // Back up, ingest-service takes adds again without being restarted.
        List<Corpus.Doc> after = List.of(Corpus.doc("pg-after", 0, 1), Corpus.doc("pg-after", 1, 1));
        IngestClient.BatchOutcome recovered = client.postBatch(org.key(), after);
        Instant retryUntil = Instant.now().plusSeconds(15);
        while (!recovered.accepted() && Instant.now().isBefore(retryUntil)) {
            Thread.sleep(500);
            recovered = client.postBatch(org.key(), after);
        }
        ledger.record(after, recovered);
        assertThat(recovered.accepted())
                .as("an add after PostgreSQL is back: %s", recovered)
                .isTrue();
        awaitSettled(org, ledger.accepted().size());
        verify(org, ledger);
    }

    /** Posts batches of new documents at a steady pace on its own thread (HTTP only; no process is started there). */
    private static final class Poster {
        private final Thread thread;
        private final List<Corpus.Doc> docs = new ArrayList<>();
        private volatile int posted;

        private Poster(
                IngestClient client,
                String key,
                String prefix,
                int batches,
                int perBatch,
                Duration pause,
                Ledger ledger) {
            for (int i = 0; i < batches * perBatch; i++) {
                docs.add(Corpus.doc(prefix, i, 6));
            }
            thread = Thread.ofPlatform().name("fault-poster-" + prefix).unstarted(() -> {
                try {
                    for (int b = 0; b < batches; b++) {
                        List<Corpus.Doc> batch = docs.subList(b * perBatch, (b + 1) * perBatch);
                        ledger.record(batch, client.postBatch(key, batch));
                        posted = b + 1;
                        Thread.sleep(pause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        static Poster start(
                IngestClient client,
                String key,
                String prefix,
                int batches,
                int perBatch,
                Duration pause,
                Ledger ledger) {
            Poster poster = new Poster(client, key, prefix, batches, perBatch, pause, ledger);
            poster.thread.start();
            return poster;
        }

        int posted() {
            return posted;
        }

        List<Corpus.Doc> docs() {
            return docs;
        }

        void join() throws InterruptedException {
            thread.join(Duration.ofSeconds(60));
            if (thread.isAlive()) {
                thread.interrupt();
                throw new AssertionError("posting did not finish within 60 s");
            }
        }
    }

    private static int done(IngestClient.Org org) {
        return state.documentStatuses(org.id()).getOrDefault("done", 0);
    }

    private static boolean extractionUnfinished(IngestClient.Org org) {
        Map<String, Integer> jobs = state.jobStatuses(org.id());
        return jobs.getOrDefault("pending", 0) + jobs.getOrDefault("running", 0) > 0
                || jobs.values().stream().mapToInt(Integer::intValue).sum() == 0;
    }

    /**
     * Polls every 20 ms until {@code ready} holds, then kills memory-writer at once and returns the progress then. Fails
     * if the work finished first (the kill would prove nothing) or nothing happened within the settle timeout.
     */
    private static int awaitThenKill(
            BooleanSupplier ready, String what, java.util.function.IntSupplier progress, BooleanSupplier over)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(SETTLE_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (ready.getAsBoolean()) {
                stack.kill(FaultStack.WRITER);
                return progress.getAsInt();
            }
            if (over.getAsBoolean()) {
                throw new AssertionError("the work was over before memory-writer could be killed (" + what + ": "
                        + progress.getAsInt() + ")");
            }
            Thread.sleep(20);
        }
        throw new AssertionError(
                "no " + what + " within " + SETTLE_TIMEOUT + ":\n" + stack.logTail(FaultStack.WRITER, 40));
    }

    private static void awaitSettled(IngestClient.Org org, int documents) throws InterruptedException {
        awaitOrFail(
                () -> state.settled(org.id(), documents),
                "every document done and every extraction job and outbox event worked off",
                () -> "documents " + state.documentStatuses(org.id()) + ", jobs " + state.jobStatuses(org.id())
                        + ", outbox rows " + state.outboxRows());
    }

    private static void awaitOrFail(BooleanSupplier condition, String what, java.util.function.Supplier<String> now)
            throws InterruptedException {
        Instant began = Instant.now();
        Instant deadline = began.plus(SETTLE_TIMEOUT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                String dumps = stack.threadDump(FaultStack.INGEST) + ", " + stack.threadDump(FaultStack.WRITER);
                throw new AssertionError("not " + what + " within " + SETTLE_TIMEOUT + ": " + now.get()
                        + "\n--- thread dumps: " + dumps
                        + "\n--- ingest-service log:\n" + stack.logTail(FaultStack.INGEST, 30)
                        + "\n--- memory-writer log:\n" + stack.logTail(FaultStack.WRITER, 30));
            }
            Thread.sleep(250);
        }
        log("%s after %d ms", what, Duration.between(began, Instant.now()).toMillis());
    }

    private static void verify(IngestClient.Org org, Ledger ledger) throws Exception {
        for (String service : List.of(FaultStack.INGEST, FaultStack.WRITER)) {
            assertThat(stack.isReady(service))
                    .as("%s recovered by itself and is ready (no channel left failed)", service)
                    .isTrue();
        }
        String[] summary = new String[1];
        List<String> problems = state.problems(org.id(), ledger.accepted(), ledger.unanswered(), summary);
        log("%s", summary[0]);
        assertThat(problems).as("what the pipeline left for %s", org.id()).isEmpty();
    }

    private static void log(String format, Object... args) {
        System.out.printf("[faults] " + format + "%n", args);
    }
}
