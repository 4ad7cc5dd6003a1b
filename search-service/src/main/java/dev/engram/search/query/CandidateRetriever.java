package dev.engram.search.query;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.search.query.SimilarityFusion.Scored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The candidates of one search, scored on the calibrated similarity scale ({@link SimilarityFusion}), for a
 * {@link Retrieval} mode. At most three index calls whatever the number of hits: the dense search, the lexical search
 * over the same scope ({@link TextQuery#of}), and one {@link VectorStore#vectorsOf} batch for the cosines of lexical
 * hits the dense search did not return. The two searches run one after the other (each is a few milliseconds).
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

    /**
     * The candidates, in the mode's order, not cut by any threshold.
     *
     * @param scope the dense query; its {@code limit} is the candidate count of retrieval {@code dense} (kept exactly as
     *     dense search always asked), and the least pool of the other modes
     * @param text the query text, for the lexical search
     * @param results the results the caller will return at most, which sizes the pools of the fused modes:
     *     {@code max(results * 3, 50)}, capped at 1000
     */
    public List<Scored> retrieve(VectorKind kind, VectorQuery scope, String text, Retrieval retrieval, int results) {
        if (retrieval == Retrieval.DENSE) {
            return SimilarityFusion.dense(calibrated(vectors.search(kind, scope)));
        }
        VectorQuery pooled = withLimit(scope, pool(scope.limit(), results));
        List<VectorHit> lexical = vectors.searchText(kind, TextQuery.of(pooled, text));
        if (retrieval == Retrieval.LEXICAL) {
            List<Scored> scored = SimilarityFusion.lexical(lexical, cosines(kind, scope, lexical, Set.of()));
            LOG.debugf("lexical retrieval: %d candidate(s)", scored.size());
            return scored;
        }
        List<VectorHit> dense = calibrated(vectors.search(kind, pooled));
        Set<String> denseIds = new HashSet<>();
        dense.forEach(hit -> denseIds.add(hit.point().id()));
        List<Scored> fused = SimilarityFusion.fuse(dense, lexical, cosines(kind, scope, lexical, denseIds));
        LOG.debugf(
                "hybrid retrieval: %d dense and %d lexical candidate(s), %d fused",
                dense.size(), lexical.size(), fused.size());
        return fused;
    }

    /** The size of each pool of the fused modes. */
    static int pool(int denseCandidates, int results) {
        return Math.min(MAX_POOL, Math.max(denseCandidates, Math.max(results * POOL_PER_RESULT, MIN_POOL)));
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
    private Map<String, Double> cosines(VectorKind kind, VectorQuery scope, List<VectorHit> lexical, Set<String> skip) {
        List<String> ids = lexical.stream()
                .map(hit -> hit.point().id())
                .filter(id -> !skip.contains(id))
                .distinct()
                .toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        float[] query = scope.vector();
        double norm = Math.sqrt(dot(query, query));
        Map<String, Double> cosines = new HashMap<>();
        vectors.vectorsOf(kind, scope.orgId(), ids).forEach((id, unit) -> {
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

    private static VectorQuery withLimit(VectorQuery query, int limit) {
        return new VectorQuery(
                query.orgId(),
                query.containerTags(),
                query.vector(),
                limit,
                query.filter(),
                query.documentIds(),
                query.conditions());
    }
}
