package dev.engram.bench;

import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.embeddings.OnnxMiniLmEmbedder;
import dev.engram.vectors.lucene.LuceneVectorStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The search bar (DESIGN.md §6, issue #5 "Speed"): {@code POST /v4/search} end to end over HTTP, query embedding
 * included, against the same model and a Lucene HNSW index doing the same work in this process, in one run.
 *
 * <ol>
 *   <li>Checks that the stack answers.
 *   <li>Loads N generated memories into a fresh tag, and N/10 into a second one, through {@code POST /v4/memories}
 *       (100 per call), then waits until the pipeline has nothing in processing.
 *   <li>Warms up, then times Q searches with distinct query texts, so the query-embedding cache never answers.
 *   <li>Baseline: embeds the same memory texts in process, indexes them in a temporary {@link LuceneVectorStore},
 *       then times embedding each query text alone plus a top-10 search of the searched tag.
 *   <li>Prints both, the ratios of the HTTP percentiles to the baseline's, and the p95 against the 50 ms bar.
 * </ol>
 */
public final class SearchBenchmark {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int UNUSABLE = 2;

    static final int MEMORIES_PER_CALL = 100;
    static final int LIMIT = 10;
    static final String ORG = "bench-org";
    static final Duration SETTLE_LIMIT = Duration.ofMinutes(10);

    private static final Logger DJL_LOG = Logger.getLogger("ai.djl");

    private SearchBenchmark() {}

    public static void main(String[] args) {
        DJL_LOG.setLevel(Level.SEVERE);
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        SearchOptions options;
        try {
            options = SearchOptions.parse(args, env);
        } catch (BenchmarkOptions.HelpRequested e) {
            out.print(SearchOptions.USAGE);
            return OK;
        } catch (IllegalArgumentException e) {
            err.println("engram bench search: " + e.getMessage());
            return UNUSABLE;
        }
        try (EngramClient client = new EngramClient(options.baseUrl(), options.apiKey(), Duration.ofSeconds(60))) {
            try {
                client.checkReachable();
            } catch (EngramClient.StackUnavailableException e) {
                err.println("engram bench search: " + e.getMessage());
                return UNUSABLE;
            }
            try {
                return measure(options, client, out, err);
            } catch (EngramClient.ApiException e) {
                err.println("engram bench search: " + e.getMessage());
                return FAILED;
            }
        }
    }

    /** {@code count} distinct memory texts (one to three sentences) and query texts (one sentence), disjoint. */
    static List<String> memoryTexts(long seed, int count) {
        return new CorpusGenerator(seed)
                .generate(count, 0, "m", 1).stream()
                        .map(CorpusGenerator.Document::content)
                        .toList();
    }

    static List<String> queryTexts(long seed, int count, Set<String> exclude) {
        Random random = new Random(seed ^ 0x5EA4C4L);
        Set<String> seen = new HashSet<>(exclude);
        List<String> queries = new ArrayList<>(count);
        while (queries.size() < count) {
            String query = CorpusGenerator.sentence(random);
            if (seen.add(query)) {
                queries.add(query);
            }
        }
        return queries;
    }

    private static int measure(SearchOptions options, EngramClient client, PrintStream out, PrintStream err) {
        int other = options.otherMemories();
        List<String> all = memoryTexts(options.seed(), options.memories() + other);
        List<String> searched = all.subList(0, options.memories());
        List<String> others = all.subList(options.memories(), all.size());
        List<String> queries = queryTexts(options.seed(), options.warmUp() + options.queries(), new HashSet<>(all));
        List<String> warmUp = queries.subList(0, options.warmUp());
        List<String> timed = queries.subList(options.warmUp(), queries.size());

        SearchReport.Load load = null;
        if (options.load()) {
            err.println("loading " + searched.size() + " + " + others.size() + " memories through POST /v4/memories …");
            load = load(client, options, searched, others, err);
        } else {
            err.println("not loading: searching the tags of run " + options.runId() + " as loaded earlier");
        }

        err.println("searching: " + warmUp.size() + " warm-up + " + timed.size() + " timed queries over HTTP …");
        for (String query : warmUp) {
            client.search(query, options.searchedTag(), LIMIT, 0);
        }
        SearchReport.Http http = timeHttp(client, options, timed);

        SearchReport.Figures figures;
        if (!options.baseline()) {
            SearchReport.Header header = new SearchReport.Header(
                    options.runId(), searched.size(), others.size(), timed.size(), options.concurrency(), null, 0);
            figures = new SearchReport.Figures(header, load, http, null);
        } else {
            err.println("baseline: loading " + options.variant() + " model …");
            try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.create(
                    OnnxMiniLmEmbedder.Options.defaults(options.variant()).withThreads(options.threads()))) {
                SearchReport.Baseline baseline = baseline(embedder, options, searched, others, warmUp, timed, err);
                SearchReport.Header header = new SearchReport.Header(
                        options.runId(),
                        searched.size(),
                        others.size(),
                        timed.size(),
                        options.concurrency(),
                        embedder.modelId(),
                        embedder.options().effectiveThreads());
                figures = new SearchReport.Figures(header, load, http, baseline);
            }
        }
        new SearchReport(out).print(figures);
        return http.failures() == 0 ? OK : FAILED;
    }

    private static SearchReport.Load load(
            EngramClient client, SearchOptions options, List<String> searched, List<String> others, PrintStream err) {
        record Call(String tag, List<String> contents) {}
        List<Call> calls = new ArrayList<>();
        for (int from = 0; from < searched.size(); from += MEMORIES_PER_CALL) {
            calls.add(new Call(
                    options.searchedTag(),
                    searched.subList(from, Math.min(searched.size(), from + MEMORIES_PER_CALL))));
        }
        for (int from = 0; from < others.size(); from += MEMORIES_PER_CALL) {
            calls.add(new Call(
                    options.otherTag(), others.subList(from, Math.min(others.size(), from + MEMORIES_PER_CALL))));
        }
        Map<String, String> metadata = Map.of("benchmark", "search");
        AtomicInteger created = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < calls.size(); i = next.getAndIncrement()) {
                        Call call = calls.get(i);
                        created.addAndGet(postWithRetry(client, call.tag(), call.contents(), metadata));
                        if ((i + 1) % 20 == 0) {
                            err.println("  " + (i + 1) + " / " + calls.size() + " calls");
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngramClient.ApiException(0, "interrupted while loading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        err.println("waiting until nothing is in processing …");
        long settleStarted = System.nanoTime();
        long deadline = settleStarted + SETTLE_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.processingIds().map(Set::isEmpty).orElse(true)) {
                break;
            }
            sleep(Duration.ofSeconds(1));
        }
        return new SearchReport.Load(
                created.get(), calls.size(), elapsed, Duration.ofNanos(System.nanoTime() - settleStarted));
    }

    private static int postWithRetry(
            EngramClient client, String tag, List<String> contents, Map<String, String> metadata) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.postMemories(tag, contents, metadata);
            } catch (EngramClient.ApiException e) {
                if (!e.retriable() || attempt >= 5) {
                    throw e;
                }
                sleep(Duration.ofSeconds(attempt));
            }
        }
    }

    private static SearchReport.Http timeHttp(EngramClient client, SearchOptions options, List<String> queries) {
        long[] nanos = new long[queries.size()];
        Double[] timings = new Double[queries.size()];
        int[] results = new int[queries.size()];
        String[] failures = new String[queries.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < queries.size(); i = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                try {
                    EngramClient.SearchAnswer answer = client.search(queries.get(i), options.searchedTag(), LIMIT, 0);
                    nanos[i] = System.nanoTime() - t0;
                    timings[i] = answer.timingMillis();
                    results[i] = answer.results();
                } catch (EngramClient.ApiException e) {
                    nanos[i] = -1;
                    failures[i] = e.getMessage();
                }
            }
        };
        long started = System.nanoTime();
        if (options.concurrency() == 1) {
            worker.run();
        } else {
            try (ExecutorService pool = Executors.newFixedThreadPool(options.concurrency())) {
                for (int w = 0; w < options.concurrency(); w++) {
                    pool.submit(worker);
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        long[] ok = Arrays.stream(nanos).filter(n -> n >= 0).toArray();
        double timingSum = 0;
        int timingCount = 0;
        long resultSum = 0;
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            if (nanos[i] < 0) {
                if (samples.size() < 3) {
                    samples.add(failures[i]);
                }
                continue;
            }
            resultSum += results[i];
            if (timings[i] != null) {
                timingSum += timings[i];
                timingCount++;
            }
        }
        return new SearchReport.Http(
                LatencyStats.ofNanos(ok),
                timingCount == 0 ? null : timingSum / timingCount,
                elapsed,
                ok.length == 0 ? 0 : (double) resultSum / ok.length,
                queries.size() - ok.length,
                samples);
    }

    private static SearchReport.Baseline baseline(
            OnnxMiniLmEmbedder embedder,
            SearchOptions options,
            List<String> searched,
            List<String> others,
            List<String> warmUp,
            List<String> timed,
            PrintStream err) {
        Path dir;
        try {
            dir = Files.createTempDirectory("engram-search-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (LuceneVectorStore store = LuceneVectorStore.openWriter(dir)) {
            store.ensureCollection(VectorKind.MEMORIES, embedder.dimension());
            err.println("baseline: embedding " + (searched.size() + others.size()) + " memory texts in process …");
            long started = System.nanoTime();
            int indexed = index(store, embedder, options.searchedTag(), "a", searched)
                    + index(store, embedder, options.otherTag(), "b", others);
            Duration embedElapsed = Duration.ofNanos(System.nanoTime() - started);
            store.commit();
            err.println("baseline: timing " + timed.size() + " queries in process …");
            for (String query : warmUp) {
                embedAndLookup(store, embedder, options.searchedTag(), query);
            }
            long[] embed = new long[timed.size()];
            long[] lookup = new long[timed.size()];
            long[] total = new long[timed.size()];
            for (int i = 0; i < timed.size(); i++) {
                long[] split = embedAndLookup(store, embedder, options.searchedTag(), timed.get(i));
                embed[i] = split[0];
                lookup[i] = split[1];
                total[i] = split[0] + split[1];
            }
            return new SearchReport.Baseline(
                    indexed,
                    embedElapsed,
                    LatencyStats.ofNanos(embed),
                    LatencyStats.ofNanos(lookup),
                    LatencyStats.ofNanos(total));
        } finally {
            deleteQuietly(dir);
        }
    }

    private static int index(
            LuceneVectorStore store, OnnxMiniLmEmbedder embedder, String tag, String prefix, List<String> texts) {
        int batch = 64;
        for (int from = 0; from < texts.size(); from += batch) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + batch));
            List<float[]> vectors = embedder.embed(slice);
            List<VectorPoint> points = new ArrayList<>(slice.size());
            for (int i = 0; i < slice.size(); i++) {
                String id = prefix + (from + i);
                points.add(new VectorPoint(id, ORG, tag, "doc-" + prefix, vectors.get(i), slice.get(i), null, null));
            }
            store.upsert(VectorKind.MEMORIES, points);
        }
        return texts.size();
    }

    /** Nanoseconds to embed {@code query} alone, and to search the tag's top 10 with it. */
    private static long[] embedAndLookup(
            LuceneVectorStore store, OnnxMiniLmEmbedder embedder, String tag, String query) {
        long t0 = System.nanoTime();
        float[] vector = embedder.embed(List.of(query)).getFirst();
        long t1 = System.nanoTime();
        int hits = store.search(VectorKind.MEMORIES, new VectorQuery(ORG, List.of(tag), vector, LIMIT, null, null))
                .size();
        long t2 = System.nanoTime();
        if (hits == 0) {
            throw new IllegalStateException("the in-process index returned no hits");
        }
        return new long[] {t1 - t0, t2 - t1};
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngramClient.ApiException(0, "interrupted", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> sorted = new ArrayList<>(paths.toList());
            sorted.sort(Comparator.reverseOrder());
            for (Path path : sorted) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
