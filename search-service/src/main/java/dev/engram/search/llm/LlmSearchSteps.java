package dev.engram.search.llm;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.search.api.MemoryResult;
import dev.engram.search.config.SearchConfig;
import dev.engram.search.query.QueryEmbeddings;
import dev.engram.search.query.Similarity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The search options served by the configured LLM ({@link ChatClient}): {@code rewriteQuery}, {@code rerank} and
 * {@code aggregate}. Each step either does its work or leaves the search as it was and adds a warning saying why — no
 * LLM configured, or the call failed or timed out — so a search never fails because of them.
 */
@ApplicationScoped
public class LlmSearchSteps {

    private static final Logger LOG = Logger.getLogger(LlmSearchSteps.class);

    static final String NO_RERANKER =
            "rerank is not available: no reranker is configured; results are ranked by similarity";
    static final String NO_REWRITER =
            "rewriteQuery is not available: no LLM is configured for search; the query was used as given";
    static final String NO_AGGREGATOR =
            "aggregate is not available: no LLM is configured for search; memories are not aggregated";

    @Inject
    ChatClient chat;

    @Inject
    QueryRewriter rewriter;

    @Inject
    Reranker reranker;

    @Inject
    Aggregator aggregator;

    @Inject
    QueryEmbeddings queryEmbeddings;

    @Inject
    TextEmbedder embedder;

    @Inject
    SearchConfig config;

    /** The query to search with: the LLM's rewrite when asked and it works, else {@code q}. */
    public String query(String q, boolean rewrite, List<String> warnings) {
        if (!rewrite) {
            return q;
        }
        if (!chat.configured()) {
            warnings.add(NO_REWRITER);
            return q;
        }
        try {
            return rewriter.rewrite(q);
        } catch (LlmCallException e) {
            LOG.debugf("rewriteQuery failed: %s", e.getMessage());
            warnings.add("rewriteQuery failed: " + e.getMessage() + "; the query was used as given");
            return q;
        }
    }

    /** How many results to retrieve for {@code limit}: more when they are to be reranked by the LLM. */
    public int candidates(boolean rerank, int limit, int maxLimit) {
        if (!rerank || !chat.configured()) {
            return limit;
        }
        return Math.min(maxLimit, Math.max(limit, config.llm().rerankCandidates()));
    }

    /**
     * The first {@code limit} of {@code results} in the LLM's order when asked and it works, else in their own order.
     *
     * @param text the text the reranker judges each result by
     */
    public <T> List<T> rerank(
            String q, List<T> results, Function<T, String> text, int limit, boolean rerank, List<String> warnings) {
        List<T> ordered = results;
        if (rerank && !chat.configured()) {
            warnings.add(NO_RERANKER);
        } else if (rerank && results.size() > 1) {
            try {
                List<Integer> order =
                        reranker.order(q, results.stream().map(text).toList());
                ordered = order.stream().map(results::get).toList();
            } catch (LlmCallException e) {
                LOG.debugf("rerank failed: %s", e.getMessage());
                warnings.add("rerank failed: " + e.getMessage() + "; results are in their retrieval order");
            }
        }
        return ordered.size() <= limit ? ordered : List.copyOf(ordered.subList(0, limit));
    }

    /**
     * {@code results} with the memories the LLM aggregates from the first {@code limit} memory results added when asked
     * and it works ({@code isAggregated}), each placed before the first result less similar to the query than itself.
     * An aggregated memory's {@code similarity} is its calibrated cosine with the query (its text has no index entry, so no
     * lexical part), its {@code updatedAt} its newest source's, its {@code metadata} {@code {"aggregatedFrom": [ids]}},
     * and its {@code id} {@code agg_} + a hash of its text: it is not stored, so not usable with
     * {@code /v4/memories}.
     */
    public List<MemoryResult> aggregate(
            String q, List<MemoryResult> results, int limit, boolean aggregate, List<String> warnings) {
        if (!aggregate) {
            return results;
        }
        if (!chat.configured()) {
            warnings.add(NO_AGGREGATOR);
            return results;
        }
        List<MemoryResult> memories = results.stream()
                .filter(result -> result.memory() != null)
                .limit(limit)
                .toList();
        if (memories.size() < 2) {
            return results; // nothing to combine
        }
        List<Aggregator.Aggregate> aggregates;
        try {
            aggregates = aggregator.aggregate(
                    q, memories.stream().map(MemoryResult::memory).toList());
        } catch (LlmCallException e) {
            LOG.debugf("aggregate failed: %s", e.getMessage());
            warnings.add("aggregate failed: " + e.getMessage() + "; memories are not aggregated");
            return results;
        }
        if (aggregates.isEmpty()) {
            return results;
        }
        float[] query = queryEmbeddings.embed(q);
        List<float[]> vectors = embedder.embed(
                aggregates.stream().map(Aggregator.Aggregate::memory).toList());
        List<MemoryResult> merged = new ArrayList<>(results);
        for (int i = 0; i < aggregates.size(); i++) {
            MemoryResult result =
                    result(aggregates.get(i), memories, embedder.similarity(cosine(query, vectors.get(i))));
            int at = 0;
            while (at < merged.size() && merged.get(at).similarity() >= result.similarity()) {
                at++;
            }
            merged.add(at, result);
        }
        return merged;
    }

    private static MemoryResult result(Aggregator.Aggregate aggregate, List<MemoryResult> memories, double similarity) {
        List<String> sources =
                aggregate.sources().stream().map(i -> memories.get(i).id()).toList();
        String updatedAt = aggregate.sources().stream()
                .map(i -> memories.get(i).updatedAt())
                .filter(at -> at != null)
                .map(Instant::parse)
                .max(Instant::compareTo)
                .map(Instant::toString)
                .orElse(null);
        return new MemoryResult(
                "agg_" + hash(aggregate.memory()),
                aggregate.memory(),
                null,
                Map.of("aggregatedFrom", sources),
                Similarity.of(similarity),
                updatedAt,
                null,
                null,
                null,
                true);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0.0 : dot / Math.sqrt(na * nb);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
