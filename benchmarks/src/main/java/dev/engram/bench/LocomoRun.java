package dev.engram.bench;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The end-to-end part of the LoCoMo benchmark: feeds each conversation session by session through
 * {@code POST /v4/conversations} (a few conversations at a time, sessions of one conversation in order, each request
 * accepted — and, with {@link Await#QUEUED}, its turns queued for extraction — before the next is sent), then polls
 * memory-writer's extraction jobs until each conversation's last turn has been handed to a job and every job has
 * ended.
 */
final class LocomoRun {

    /** Attempts per request when the stack answers 429, 502-504 or not at all. */
    static final int ATTEMPTS = 5;

    /** Pause between two looks at the jobs table while a session waits to be queued. */
    static final Duration QUEUED_POLL = Duration.ofMillis(200);

    /** What a session waits for before the conversation's next session is sent. */
    enum Await {
        /** The request was answered 2xx: the writer may still be indexing an older revision, and skips superseded ones. */
        ACCEPTED,
        /** The writer queued the extraction of the session's turns: every session becomes a job of its own. */
        QUEUED;

        static Await parse(String value) {
            return switch (value) {
                case "accepted" -> ACCEPTED;
                case "queued" -> QUEUED;
                default -> throw new IllegalArgumentException("--await takes accepted or queued, was '" + value + "'");
            };
        }
    }

    /** How often progress is printed while waiting. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

    /**
     * How to run.
     *
     * @param concurrency conversations fed at once
     * @param await what a session waits for before the next one is sent
     * @param pace shortest time from one session of a conversation to the next
     * @param poll pause between polls
     * @param timeout limit for feeding and waiting together
     * @param settle how long nothing may change, once every document has ended, before waiting stops
     * @param metadata stored with every conversation
     */
    record Settings(
            int concurrency,
            Await await,
            Duration pace,
            Duration poll,
            Duration timeout,
            Duration settle,
            Map<String, String> metadata) {}

    /**
     * How feeding one conversation went.
     *
     * @param documentId the conversation's document id, or {@code null} if no request was accepted
     * @param accepted requests accepted
     * @param error why feeding stopped early, or {@code null}
     */
    record Sent(LocomoFeed feed, String documentId, int accepted, String error) {
        boolean complete() {
            return error == null && accepted == feed.requests().size();
        }
    }

    /**
     * What happened.
     *
     * @param started when the first request went out
     * @param fed when the last request was answered
     * @param ended when waiting stopped
     * @param waitProblem why waiting stopped before every job ended (timed out, nothing changed), or {@code null}
     * @param documents each document's last status
     * @param jobs the conversations' jobs as last read
     */
    record Outcome(
            List<Sent> sent,
            Instant started,
            Instant fed,
            Instant ended,
            String waitProblem,
            Map<String, String> documents,
            List<WriterTables.Job> jobs) {

        /** Feeding took this long. */
        Duration feeding() {
            return Duration.between(started, fed);
        }

        /** Whether every request was accepted and every job ended. */
        boolean complete() {
            return waitProblem == null && sent.stream().allMatch(Sent::complete);
        }
    }

    private final EngramClient client;
    private final WriterTables tables;
    private final Settings settings;
    private final Consumer<String> log;
    private final Clock clock;

    LocomoRun(EngramClient client, WriterTables tables, Settings settings, Consumer<String> log, Clock clock) {
        this.client = client;
        this.tables = tables;
        this.settings = settings;
        this.log = log;
        this.clock = clock;
    }

    /** Feeds {@code feeds} and waits for their extraction. */
    Outcome run(List<LocomoFeed> feeds) throws InterruptedException {
        Instant started = clock.instant();
        Instant deadline = started.plus(settings.timeout());
        List<Sent> sent = feed(feeds, deadline);
        Instant fed = clock.instant();
        int requests = sent.stream().mapToInt(Sent::accepted).sum();
        log.accept("fed " + requests + " requests in " + Report.seconds(Duration.between(started, fed))
                + "; waiting for extraction …");
        return waitForJobs(sent, started, fed, deadline);
    }

    private List<Sent> feed(List<LocomoFeed> feeds, Instant deadline) throws InterruptedException {
        List<Sent> sent = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency())) {
            List<Future<Sent>> futures = new ArrayList<>();
            for (LocomoFeed feed : feeds) {
                futures.add(pool.submit(() -> feedOne(feed, deadline)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    sent.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    sent.add(new Sent(feeds.get(i), null, 0, String.valueOf(e.getCause())));
                }
            }
        }
        return sent;
    }

    private Sent feedOne(LocomoFeed feed, Instant deadline) throws InterruptedException {
        String documentId = null;
        int accepted = 0;
        for (LocomoFeed.Request request : feed.requests()) {
            Instant sent = clock.instant();
            if (sent.isAfter(deadline)) {
                return new Sent(feed, documentId, accepted, "timed out before session " + request.session());
            }
            EngramClient.Accepted answer;
            try {
                answer = post(feed, request);
            } catch (EngramClient.ApiException e) {
                return new Sent(feed, documentId, accepted, "session " + request.session() + ": " + e.getMessage());
            }
            if (documentId != null && !documentId.equals(answer.id())) {
                return new Sent(
                        feed,
                        documentId,
                        accepted,
                        "session " + request.session() + " answered document " + answer.id() + ", earlier sessions "
                                + documentId + ": one conversation id should be one document");
            }
            documentId = answer.id();
            accepted++;
            if (settings.await() == Await.QUEUED) {
                String problem =
                        awaitQueued(feed, documentId, request.messages().size() - 1, deadline);
                if (problem != null) {
                    return new Sent(feed, documentId, accepted, "session " + request.session() + ": " + problem);
                }
            }
            Duration rest = settings.pace().minus(Duration.between(sent, clock.instant()));
            if (rest.isPositive()) {
                Thread.sleep(rest);
            }
        }
        log.accept(feed.conversationId() + ": " + accepted + " sessions, " + feed.turnCount() + " turns accepted as "
                + documentId);
        return new Sent(feed, documentId, accepted, null);
    }

    /**
     * Waits until a job names turn {@code lastPosition} of the conversation.
     *
     * @return why it stopped waiting without one (the document failed, the deadline passed), or {@code null}
     */
    private String awaitQueued(LocomoFeed feed, String documentId, int lastPosition, Instant deadline)
            throws InterruptedException {
        List<String> tag = List.of(feed.containerTag());
        for (int round = 1; ; round++) {
            try {
                for (WriterTables.Job job : tables.jobs(tag)) {
                    if (job.positions().contains(lastPosition)) {
                        return null;
                    }
                }
            } catch (SQLException e) {
                log.accept("reading writer.extraction_jobs failed: " + e.getMessage() + " (will retry)");
            }
            if (clock.instant().isAfter(deadline)) {
                return "timed out waiting for its extraction to be queued";
            }
            if (round % 10 == 0) {
                try {
                    String status = client.get(documentId).status();
                    if ("failed".equals(status)) {
                        return "its document failed before extraction was queued";
                    }
                } catch (EngramClient.ApiException e) {
                    // the jobs table decides; the status is only a shortcut out
                }
            }
            Thread.sleep(QUEUED_POLL);
        }
    }

    private EngramClient.Accepted post(LocomoFeed feed, LocomoFeed.Request request) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.postConversation(
                        feed.requestConversationId(), feed.containerTag(), request.messages(), settings.metadata());
            } catch (EngramClient.ApiException e) {
                if (!e.retriable() || attempt >= ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(Duration.ofSeconds(1L << (attempt - 1)));
            }
        }
    }

    private Outcome waitForJobs(List<Sent> sent, Instant started, Instant fed, Instant deadline)
            throws InterruptedException {
        List<String> tags = sent.stream().map(s -> s.feed().containerTag()).toList();
        Map<String, String> documents = new LinkedHashMap<>();
        sent.stream().filter(s -> s.documentId() != null).forEach(s -> documents.put(s.documentId(), ""));
        if (documents.isEmpty()) {
            return new Outcome(sent, started, fed, clock.instant(), "no request was accepted", documents, List.of());
        }
        List<WriterTables.Job> jobs = List.of();
        Object lastState = null;
        Instant lastChange = clock.instant();
        Instant lastProgress = Instant.EPOCH;
        while (true) {
            Instant now = clock.instant();
            try {
                jobs = tables.jobs(tags);
            } catch (SQLException e) {
                log.accept("reading writer.extraction_jobs failed: " + e.getMessage() + " (will retry)");
            }
            pollDocuments(documents);
            List<Object> state = new ArrayList<>(documents.values());
            jobs.forEach(j -> state.add(j.documentId() + "/" + j.revision() + "/" + j.status() + "/" + j.attempts()));
            if (!state.equals(lastState)) {
                lastState = state;
                lastChange = now;
            }
            boolean documentsEnded = documents.values().stream().allMatch(LocomoRun::documentEnded);
            boolean jobsEnded = jobs.stream().allMatch(WriterTables.Job::terminal);
            List<String> waitingFor = lastTurnsMissing(sent, jobs);
            if (documentsEnded && jobsEnded && waitingFor.isEmpty() && !jobs.isEmpty()) {
                return new Outcome(sent, started, fed, now, null, documents, jobs);
            }
            if (now.isAfter(deadline)) {
                return new Outcome(
                        sent,
                        started,
                        fed,
                        now,
                        "timed out after " + settings.timeout() + " " + pending(jobs, waitingFor),
                        documents,
                        jobs);
            }
            if (documentsEnded && Duration.between(lastChange, now).compareTo(settings.settle()) > 0) {
                return new Outcome(
                        sent,
                        started,
                        fed,
                        now,
                        "nothing changed for " + settings.settle() + " " + pending(jobs, waitingFor),
                        documents,
                        jobs);
            }
            if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
                lastProgress = now;
                long ended = documents.values().stream()
                        .filter(LocomoRun::documentEnded)
                        .count();
                log.accept("  " + Report.seconds(Duration.between(started, now)) + ": documents " + ended + "/"
                        + documents.size() + " ended; jobs " + byStatus(jobs));
            }
            Thread.sleep(settings.poll());
        }
    }

    private void pollDocuments(Map<String, String> documents) {
        for (Map.Entry<String, String> entry : documents.entrySet()) {
            if (documentEnded(entry.getValue())) {
                continue;
            }
            try {
                EngramClient.DocumentState state = client.get(entry.getKey());
                entry.setValue(state.reason() == null ? state.status() : state.status() + " (" + state.reason() + ")");
            } catch (EngramClient.ApiException e) {
                entry.setValue("unknown: " + e.getMessage());
            }
        }
    }

    private static boolean documentEnded(String status) {
        return status.startsWith("done") || status.startsWith("failed");
    }

    /**
     * The conversations whose last turn no job names yet. A conversation whose jobs name no turns at all (document
     * jobs) is not waited for this way.
     */
    static List<String> lastTurnsMissing(List<Sent> sent, List<WriterTables.Job> jobs) {
        List<String> missing = new ArrayList<>();
        for (Sent s : sent) {
            if (s.documentId() == null || s.accepted() == 0) {
                continue;
            }
            int lastSent = s.feed().requests().get(s.accepted() - 1).messages().size() - 1;
            Set<Integer> named = new TreeSet<>();
            boolean anyJob = false;
            for (WriterTables.Job job : jobs) {
                if (job.containerTag().equals(s.feed().containerTag())) {
                    anyJob = true;
                    named.addAll(job.positions());
                }
            }
            if (!anyJob || (!named.isEmpty() && !named.contains(lastSent))) {
                missing.add(s.feed().conversationId());
            }
        }
        return missing;
    }

    private static String pending(List<WriterTables.Job> jobs, List<String> waitingFor) {
        return "(jobs " + byStatus(jobs)
                + (waitingFor.isEmpty() ? "" : "; no job yet for the last turn of " + String.join(", ", waitingFor))
                + ")";
    }

    static String byStatus(List<WriterTables.Job> jobs) {
        Map<String, Integer> counts = new TreeMap<>();
        jobs.forEach(j -> counts.merge(j.status(), 1, Integer::sum));
        return counts.isEmpty() ? "none" : counts.toString();
    }
}
