package dev.engram.writer.forgetting;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemoryWrites;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v4/memories/forget-matching}: forgets the memories of a tag that match a natural-language query (or
 * a list of ids), at most {@code maxForget} of them; a dry run only reports them.
 *
 * <p>By query: the query is embedded and the tag's memory points searched; a hit's similarity is the model's calibrated
 * similarity of its cosine ({@code TextEmbedder.similarity}, MiniLM's cosine clamped to 0..1: unrelated texts score
 * near 0, paraphrases above 0.8 with the
 * default model). The index also holds old versions and forgotten memories, so it is asked for more hits than
 * needed ({@link #hitsFor}) and each hit is checked against its row: only the latest version that does not count as
 * forgotten is a candidate. Candidates are ordered by similarity, best first.
 *
 * <p>By ids: each id of the tag that does not count as forgotten is a candidate (whatever its version); ids of
 * other tags, unknown ids and forgotten memories are skipped.
 *
 * <p>The candidates are found, then forgotten under the tag's lock after checking each again, so a memory that was
 * updated or forgotten in between is skipped.
 */
@ApplicationScoped
public class ForgetMatching {

    @Inject
    MemoryWrites writes;

    @Inject
    TextEmbedder embedder;

    @Inject
    VectorStore vectors;

    /**
     * One memory that matches.
     *
     * @param memory the memory
     * @param similarity how closely it matches the query (0..1), or {@code null} when named by id
     */
    public record Candidate(Memory memory, Double similarity) {}

    /**
     * @param candidates what matched, best first
     * @param forgottenIds what was forgotten (none in a dry run)
     */
    public record Outcome(List<Candidate> candidates, List<String> forgottenIds) {}

    @WithSpan("ForgetMatching.forget")
    public Outcome forget(
            String orgId, @SpanAttribute("engram.container_tag") String tag, ForgetMatchingRequest request) {
        Map<String, Double> similarities = request.query() == null ? null : similarities(orgId, tag, request);
        List<String> ids = request.query() == null ? request.ids() : List.copyOf(similarities.keySet());
        return writes.inTag(orgId, tag, session -> {
            List<Candidate> candidates = new ArrayList<>();
            for (String id : ids) {
                Optional<Memory> memory = session.find(id);
                if (memory.isEmpty() || memory.get().forgottenAt(session.now())) {
                    continue;
                }
                if (similarities != null && !memory.get().isLatest()) {
                    continue;
                }
                candidates.add(new Candidate(memory.get(), similarities == null ? null : similarities.get(id)));
                if (candidates.size() == request.maxForget()) {
                    break;
                }
            }
            List<String> forgotten = new ArrayList<>();
            if (!request.dryRun()) {
                for (Candidate candidate : candidates) {
                    if (session.forget(candidate.memory(), request.reason())) {
                        forgotten.add(candidate.memory().id());
                    }
                }
            }
            return new Outcome(candidates, forgotten);
        });
    }

    /** The ids of the points at least {@code threshold} similar to the query, best first, with their similarity. */
    private Map<String, Double> similarities(String orgId, String tag, ForgetMatchingRequest request) {
        float[] vector = embedder.embedQuery(request.query());
        List<VectorHit> hits = vectors.search(
                VectorKind.MEMORIES,
                new VectorQuery(orgId, List.of(tag), vector, hitsFor(request.maxForget()), null, List.of())
                        .withConditions(List.of(
                                new AttributeCondition.Equals("isLatest", true),
                                new AttributeCondition.Equals("isForgotten", false),
                                new AttributeCondition.NotExpired("forgetAfter", System.currentTimeMillis()))));
        Map<String, Double> similarities = new LinkedHashMap<>();
        hits.stream()
                .sorted(Comparator.comparingDouble(VectorHit::score).reversed())
                .forEach(hit -> {
                    double similarity = embedder.similarity(hit.score());
                    if (similarity >= request.threshold()) {
                        similarities.putIfAbsent(hit.point().id(), similarity);
                    }
                });
        return similarities;
    }

    /**
     * Hits asked of the index. Old versions and forgotten memories are filtered out inside the index; the rows are
     * still checked (a point may lag its row for a moment), so ask for some room beyond {@code maxForget}.
     */
    static int hitsFor(int maxForget) {
        return Math.min(1000, Math.max(20, maxForget * 2));
    }
}
