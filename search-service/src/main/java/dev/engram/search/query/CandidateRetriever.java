package dev.engram.search.query;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.search.query.SimilarityFusion.Scored;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * The candidates of one search, scored on the calibrated similarity scale ({@link SimilarityFusion}), for a
 * {@link Retrieval} mode. It embeds the query itself ({@link QueryEmbeddings}) and makes at most three index calls
 * whatever the number of hits: the dense search, the lexical search over the same scope, and one
 * {@link VectorStore#vectorsOf} batch for the cosines of lexical hits the dense search did not return.
 *
 * <p>The lexical search needs no embedding, so in the fused and lexical modes it runs on a thread of its own while the
 * calling thread embeds the query and runs the dense search: one search costs about the longer of the two paths, not
 * their sum (at 100k memories each path is a few milliseconds). The work done is the same, so under load throughput
 * does not change.
 */
@ApplicationScoped
public class CandidateRetriever {

    private static final Logger LOG = Logger.getLogger(CandidateRetriever.class);

    /** Least candidates per pool in the fused modes. */
    static final int MIN_POOL = 50;
    /** Candidates per pool per result wanted in the fused modes. */
    static final int POOL_PER_RESULT = 3;
    /** Most candidates per pool (the index's limit). */
    static final int MAX_POOL = 1000;

    @Inject
    VectorStore vectors;

    @Inject
    TextEmbedder embedder;

    @Inject
    QueryEmbeddings embeddings;

    /**
     * Runs the lexical searches. Its tasks never wait on anything, so requests blocked on them cannot starve it; each
     * search submits at most one, so its queue is never longer than the searches in flight.
     */
    private ExecutorService lexicalSearches;

    // made here, not in a field initializer, which would also run for the bean's client proxy
    @PostConstruct
    void open() {
        lexicalSearches = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors() * 2),
                Thread.ofPlatform().name("lexical-search-", 0).daemon().factory());
    }

    @PreDestroy
    void close() {
        lexicalSearches.shutdownNow();
    }

    /**
     * The candidates, in the mode's order, not cut by any threshold.
     *
     * @param scope the search: its text is embedded for the dense side and analysed for the lexical side; its
     *     {@code limit} is the candidate count of retrieval {@code dense} (kept exactly as dense search always asked),
     *     and the least pool of the other modes
     * @param results the results the caller will return at most, which sizes the pools of the fused modes:
     *     {@code max(results * 3, 50)}, capped at 1000
     */
    public List<Scored> retrieve(VectorKind kind, TextQuery scope, Retrieval retrieval, int results) {
        if (retrieval == Retrieval.DENSE) {
            VectorQuery dense = denseQuery(scope, scope.limit(), embeddings.embed(scope.text()));
            return SimilarityFusion.dense(calibrated(vectors.search(kind, dense)));
        }
        int pool = pool(scope.limit(), results);
        TextQuery pooledText = scope.withLimit(pool);
        Future<List<VectorHit>> lexicalSearch = lexicalSearches.submit(() -> vectors.searchText(kind, pooledText));
        try {
            float[] vector = embeddings.embed(scope.text());
            if (retrieval == Retrieval.LEXICAL) {
                List<VectorHit> lexical = await(lexicalSearch);
                List<Scored> scored =
                        SimilarityFusion.lexical(lexical, cosines(kind, scope.orgId(), vector, lexical, Set.of()));
                LOG.debugf("lexical retrieval: %d candidate(s)", scored.size());
                return scored;
            }
            List<VectorHit> dense = calibrated(vectors.search(kind, denseQuery(scope, pool, vector)));
            List<VectorHit> lexical = await(lexicalSearch);
            Set<String> denseIds = new HashSet<>();
            dense.forEach(hit -> denseIds.add(hit.point().id()));
            List<Scored> fused =
                    SimilarityFusion.fuse(dense, lexical, cosines(kind, scope.orgId(), vector, lexical, denseIds));
            LOG.debugf(
                    "hybrid retrieval: %d dense and %d lexical candidate(s), %d fused",
                    dense.size(), lexical.size(), fused.size());
            return fused;
        } finally {
            lexicalSearch.cancel(false); // no-op once done; else a failure above leaves it nobody waits for
        }
    }

    /** The size of each pool of the fused modes. */
    static int pool(int denseCandidates, int results) {
        return Math.min(MAX_POOL, Math.max(denseCandidates, Math.max(results * POOL_PER_RESULT, MIN_POOL)));
    }

    /** The lexical search's hits, or its failure as thrown by the store. */
    private static List<VectorHit> await(Future<List<VectorHit>> search) {
        try {
            return search.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lexical search", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the lexical search failed", e.getCause());
        }
    }

    /** Dense hits with their cosine replaced by the model's calibrated similarity ({@link TextEmbedder#similarity}). */
    private List<VectorHit> calibrated(List<VectorHit> hits) {
        return hits.stream()
                .map(hit -> new VectorHit(hit.point(), embedder.similarity(hit.score())))
                .toList();
    }

    /**
     * The calibrated similarities ({@link TextEmbedder#similarity} of the cosines) with the query of the lexical hits
     * not in {@code skip}, from their stored vectors (one call).
     */
    private Map<String, Double> cosines(
            VectorKind kind, String orgId, float[] query, List<VectorHit> lexical, Set<String> skip) {
        List<String> ids = lexical.stream()
                .map(hit -> hit.point().id())
                .filter(id -> !skip.contains(id))
                .distinct()
                .toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        double norm = Math.sqrt(dot(query, query));
        Map<String, Double> cosines = new HashMap<>();
        vectors.vectorsOf(kind, orgId, ids).forEach((id, unit) -> {
            cosines.put(
                    id, norm == 0 || unit.length != query.length ? 0.0 : embedder.similarity(dot(unit, query) / norm));
        });
        return cosines;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static VectorQuery denseQuery(TextQuery scope, int limit, float[] vector) {
        return new VectorQuery(
                scope.orgId(),
                scope.containerTags(),
                vector,
                limit,
                scope.filter(),
                scope.documentIds(),
                scope.conditions());
    }
}
