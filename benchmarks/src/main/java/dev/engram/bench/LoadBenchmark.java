package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load test (issue #7): a stated, open-loop request rate against ingest ({@code POST /v3/documents}) and search
 * ({@code POST /v4/search}) of a running stack for a few minutes, with no errors and flat memory.
 *
 * <ol>
 *   <li>Checks the stack; finds its processes from the launcher's pid files.
 *   <li>Warm-up: the same load for {@code --warm-up}, not counted.
 *   <li>Measured load: each endpoint's requests sent when due ({@link LoadSchedule}), answered or not; every
 *       {@code --sample} the processes' memory ({@link LoadProcesses}, {@link LoadHeap}) and the pipeline's backlog
 *       (the run's documents still in {@code GET /v3/documents/processing}).
 *   <li>Drain: waits for the pipeline to finish the run's documents, then asks each one's status.
 *   <li>Prints per endpoint the requests by status, latency percentiles and achieved against target rate; the pipeline
 *       (accepted, done, failed, backlog at the end of the load, drain time); each process's memory, first against
 *       last minute and slope; and the same as one JSON line.
 * </ol>
 */
public final class LoadBenchmark {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int UNUSABLE = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1024.0 * 1024.0;
    private static final double WINDOW_SECONDS = 60;

    private LoadBenchmark() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args, env);
        } catch (BenchmarkOptions.HelpRequested e) {
            out.print(LoadOptions.USAGE);
            return OK;
        } catch (IllegalArgumentException e) {
            err.println("engram bench load: " + e.getMessage());
            return UNUSABLE;
        }
        try (EngramClient client = new EngramClient(options.baseUrl(), options.apiKey(), Duration.ofSeconds(30))) {
            try {
                client.checkReachable();
            } catch (EngramClient.StackUnavailableException e) {
                err.println("engram bench load: " + e.getMessage());
                return UNUSABLE;
            }
            return new LoadBenchmark.Run(options, client, out, err).execute();
        } catch (IOException e) {
            err.println("engram bench load: " + e.getMessage());
            return UNUSABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    /** One run: its options, its documents and its samples. */
    private static final class Run {
        private final LoadOptions options;
        private final EngramClient client;
        private final PrintStream out;
        private final PrintStream err;
        private final HttpClient http;
        private final Map<String, Long> pids;
        private final Map<String, List<LoadTrend.Sample>> rss = new ConcurrentHashMap<>();
        private final Map<String, List<LoadTrend.Sample>> oldGen = new ConcurrentHashMap<>();
        private final List<Integer> backlog = new CopyOnWriteArrayList<>();

        Run(LoadOptions options, EngramClient client, PrintStream out, PrintStream err) throws IOException {
            this.options = options;
            this.client = client;
            this.out = out;
            this.err = err;
            this.http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(Executors.newFixedThreadPool(4, r -> {
                        Thread thread = new Thread(r, "load-http");
                        thread.setDaemon(true);
                        return thread;
                    }))
                    .build();
            this.pids = LoadProcesses.pids(options.runDir());
        }

        int execute() throws InterruptedException {
            if (pids.isEmpty()) {
                err.println("engram bench load: no pid files in " + options.runDir()
                        + "; memory is not sampled (pass --run-dir, or run through ./engram bench load)");
            }
            LoadHeap heap = new LoadHeap();
            if (heap.unavailable() != null) {
                err.println("engram bench load: JVM heap counters unavailable (" + heap.unavailable()
                        + "); only RSS is sampled");
            }
            if (!options.warmUp().isZero()) {
                err.printf(
                        Locale.ROOT,
                        "warm-up: %s at %.1f documents/s and %.1f searches/s (not counted)%n",
                        options.warmUp(),
                        options.ingestRate(),
                        options.searchRate());
                drive("warmup", options.warmUp(), new Phase(), null);
            }
            err.printf(
                    Locale.ROOT,
                    "load: %s at %.1f documents/s and %.1f searches/s%n",
                    options.duration(),
                    options.ingestRate(),
                    options.searchRate());
            Phase measured = new Phase();
            MachineLoad machine = MachineLoad.ofThisMachine();
            MachineLoad.Snapshot machineStart = machine.snapshot();
            long started = System.nanoTime();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "load-sampler");
                thread.setDaemon(true);
                return thread;
            });
            sampler.scheduleAtFixedRate(
                    () -> sample(heap, measured, started),
                    0,
                    options.sampleEvery().toMillis(),
                    TimeUnit.MILLISECONDS);
            double seconds = drive("run", options.duration(), measured, started);
            sampler.shutdownNow();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
            MachineLoad.Window cpu = machine.since(machineStart);
            heap.close();

            int backlogAtEnd = inProcessing(measured.accepted.keySet());
            long drainStarted = System.nanoTime();
            int left = backlogAtEnd;
            long drainLimit = drainStarted + options.drain().toNanos();
            while (left > 0 && System.nanoTime() < drainLimit) {
                Thread.sleep(1_000);
                left = inProcessing(measured.accepted.keySet());
            }
            Duration drained = Duration.ofNanos(System.nanoTime() - drainStarted);
            Map<String, Integer> outcomes = outcomes(measured.accepted.keySet());

            LoadRecorder.Summary ingest = measured.ingest.summary(seconds, options.ingestRate());
            LoadRecorder.Summary search = measured.search.summary(seconds, options.searchRate());
            LoadReport report = new LoadReport(
                    options,
                    seconds,
                    ingest,
                    search,
                    measured.accepted.size(),
                    outcomes,
                    backlogAtEnd,
                    backlog.stream().mapToInt(Integer::intValue).max().orElse(0),
                    left,
                    drained,
                    trends(rss),
                    trends(oldGen),
                    cpu.describeBusy());
            report.print(out);
            return report.passed() ? OK : FAILED;
        }

        /** The documents added and the requests of one phase. */
        private static final class Phase {
            final LoadRecorder ingest = new LoadRecorder("ingest  POST /v3/documents");
            final LoadRecorder search = new LoadRecorder("search  POST /v4/search");
            final Map<String, String> accepted = new ConcurrentHashMap<>();
        }

        /** Runs both endpoints' schedules for {@code length}; returns the seconds the load lasted. */
        private double drive(String phase, Duration length, Phase into, Long startNanos) throws InterruptedException {
            long start = startNanos == null ? System.nanoTime() : startNanos;
            long end = start + length.toNanos();
            ExecutorService senders = Executors.newFixedThreadPool(2, r -> new Thread(r, "load-" + phase));
            List<Future<?>> running = new ArrayList<>();
            List<Semaphore> slots = new ArrayList<>();
            if (options.ingestRate() > 0) {
                Semaphore slot = new Semaphore(options.maxInFlight());
                slots.add(slot);
                running.add(senders.submit(() -> send(
                        new LoadSchedule(options.ingestRate(), start),
                        end,
                        slot,
                        into.ingest,
                        i -> ingestRequest(phase, i),
                        (i, body) -> recordAccepted(into, body))));
            }
            if (options.searchRate() > 0) {
                Semaphore slot = new Semaphore(options.maxInFlight());
                slots.add(slot);
                running.add(senders.submit(() -> send(
                        new LoadSchedule(options.searchRate(), start),
                        end,
                        slot,
                        into.search,
                        this::searchRequest,
                        (i, body) -> {})));
            }
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("the load driver failed", e.getCause());
                }
            }
            senders.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            // Let the last requests end: each is answered or times out within the request timeout.
            for (Semaphore slot : slots) {
                if (slot.tryAcquire(
                        options.maxInFlight(),
                        options.requestTimeout().plusSeconds(5).toMillis(),
                        TimeUnit.MILLISECONDS)) {
                    slot.release(options.maxInFlight());
                }
            }
            return seconds;
        }

        @FunctionalInterface
        private interface Requests {
            HttpRequest build(long index);
        }

        @FunctionalInterface
        private interface OnOk {
            void accept(long index, String body);
        }

        private void send(
                LoadSchedule schedule, long end, Semaphore slot, LoadRecorder recorder, Requests requests, OnOk onOk) {
            for (long i = 0; ; i++) {
                long due = schedule.dueAt(i);
                if (due >= end) {
                    return;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    i--; // park may return early: look again at the same request
                    continue;
                }
                recorder.due();
                if (!slot.tryAcquire()) {
                    recorder.ended(LoadRecorder.NOT_SENT, 0);
                    continue;
                }
                long index = i;
                http.sendAsync(requests.build(index), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            long latency = System.nanoTime() - due;
                            try {
                                int status = failure == null ? response.statusCode() : LoadRecorder.NO_ANSWER;
                                if (status / 100 == 2) {
                                    onOk.accept(index, response.body());
                                }
                                recorder.ended(status, latency);
                            } finally {
                                slot.release();
                            }
                        });
            }
        }

        private HttpRequest ingestRequest(String phase, long i) {
            Random random = new Random(options.seed() * 1_000_003L + i + (phase.equals("run") ? 0 : 1L << 40));
            ObjectNode body = JSON.createObjectNode()
                    .put("content", CorpusGenerator.shortDocument(random) + " (" + phase + " " + i + ")")
                    .put("containerTag", tag(i))
                    .put("customId", options.runId() + "-" + phase + "-" + i);
            body.putObject("metadata").put("benchmark", "load");
            return request("/v3/documents", body);
        }

        private HttpRequest searchRequest(long i) {
            Random random = new Random(options.seed() * 7_919L + i);
            ObjectNode body = JSON.createObjectNode()
                    .put("q", CorpusGenerator.sentence(random))
                    .put("containerTag", tag(i))
                    .put("limit", 10);
            return request("/v4/search", body);
        }

        private String tag(long i) {
            return options.runId() + "-" + (i % options.containerTags());
        }

        private HttpRequest request(String path, JsonNode body) {
            String base = options.baseUrl().toString().replaceAll("/+$", "");
            return HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(options.requestTimeout())
                    .header("Authorization", "Bearer " + options.apiKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
        }

        private static void recordAccepted(Phase phase, String body) {
            try {
                String id = JSON.readTree(body).path("id").asText("");
                if (!id.isEmpty()) {
                    phase.accepted.put(id, id);
                }
            } catch (IOException e) {
                // counted as ok by status; the document just is not tracked
            }
        }

        private void sample(LoadHeap heap, Phase phase, long started) {
            double at = (System.nanoTime() - started) / 1e9;
            pids.forEach((name, pid) -> {
                OptionalLong resident = LoadProcesses.rss(pid);
                if (resident.isPresent()) {
                    rss.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                            .add(new LoadTrend.Sample(at, resident.getAsLong()));
                }
                OptionalLong old = heap.oldGenUsed(pid);
                if (old.isPresent()) {
                    oldGen.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                            .add(new LoadTrend.Sample(at, old.getAsLong()));
                }
            });
            try {
                backlog.add(inProcessing(phase.accepted.keySet()));
            } catch (RuntimeException e) {
                // a failed poll is not a sample
            }
        }

        private int inProcessing(Set<String> ours) {
            try {
                Set<String> processing = client.processingIds().orElse(Set.of());
                return (int) processing.stream().filter(ours::contains).count();
            } catch (EngramClient.ApiException e) {
                return -1;
            }
        }

        /** Each accepted document's final status, asked 8 at a time. */
        private Map<String, Integer> outcomes(Set<String> ids) throws InterruptedException {
            Map<String, Integer> counts = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (String id : ids) {
                pool.submit(() -> {
                    String status;
                    try {
                        status = client.get(id).status();
                    } catch (EngramClient.ApiException e) {
                        status = "unreadable (HTTP " + e.status() + ")";
                    }
                    counts.merge(status, 1, Integer::sum);
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
            return new java.util.TreeMap<>(counts);
        }

        private static Map<String, LoadTrend> trends(Map<String, List<LoadTrend.Sample>> samples) {
            Map<String, LoadTrend> trends = new LinkedHashMap<>();
            new java.util.TreeMap<>(samples)
                    .forEach((name, list) -> LoadTrend.of(list, WINDOW_SECONDS).ifPresent(t -> trends.put(name, t)));
            return trends;
        }
    }

    static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }
}
