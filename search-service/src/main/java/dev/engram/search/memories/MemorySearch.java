package dev.engram.search.memories;

import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorKind;
import dev.engram.search.api.MemoryResult;
import dev.engram.search.api.MemoryResult.ContextMemory;
import dev.engram.search.api.MemoryResult.DocumentRef;
import dev.engram.search.query.CandidateRetriever;
import dev.engram.search.query.FilepathScope;
import dev.engram.search.query.Retrieval;
import dev.engram.search.query.Similarity;
import dev.engram.search.query.SimilarityFusion.Scored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Memory search: the latest memories in the index that match the query (dense, lexical or both, see
 * {@link CandidateRetriever}; state conditions and the metadata filter applied inside the index), cut at the threshold,
 * then the rows of the best {@code limit} plus a few read in one batch — the database is the truth, so a memory forgotten or
 * superseded after its point was last written is still left out — ordered by {@link MemoryRanking} (similarity plus
 * recency, static and inference adjustments, from the rows), and, when asked, their context and documents, one batch
 * query each.
 */
@ApplicationScoped
public class MemorySearch {

    private static final Logger LOG = Logger.getLogger(MemorySearch.class);
    /** Extra candidates asked of the index, for rows the database no longer counts (a point not yet rewritten). */
    private static final int SLACK = 5;
    /** Most rows read for one search. */
    private static final int MAX_ROWS = 1000;

    @Inject
    CandidateRetriever candidates;

    @Inject
    MemoryReader reader;

    @Inject
    FilepathScope filepaths;

    Clock clock = Clock.systemUTC();

    /**
     * A memory result and its rank score ({@link MemoryRanking}), by which results are ordered (hybrid search merges
     * chunks in by it).
     */
    public record RankedMemory(MemoryResult result, double rank) {}

    /** The results, best first. */
    public List<MemoryResult> search(MemoryQuery query) {
        return rank(query).stream().map(RankedMemory::result).toList();
    }

    /**
     * The results, best first, with their rank scores: by {@link MemoryRanking} (similarity plus the recency, static and
     * inference adjustments) in the {@code hybrid} and {@code dense} retrievals; in BM25 order with rank = similarity in
     * {@code lexical}, which stays a pure lexical ranking.
     */
    public List<RankedMemory> rank(MemoryQuery query) {
        Optional<List<String>> documentIds =
                filepaths.scope(query.orgId(), query.containerTags(), List.of(), query.filepath());
        if (documentIds.isEmpty()) {
            LOG.debug("memory search: no document matches the filepath");
            return List.of();
        }
        Instant now = clock.instant();
        List<AttributeCondition> conditions = new ArrayList<>();
        conditions.add(new AttributeCondition.Equals("isLatest", true));
        if (!query.forgotten()) {
            conditions.add(new AttributeCondition.Equals("isForgotten", false));
            conditions.add(new AttributeCondition.NotExpired("forgetAfter", now.toEpochMilli()));
        }
        TextQuery scope = new TextQuery(
                query.orgId(),
                query.containerTags(),
                query.q(),
                Math.min(1000, query.limit() + SLACK),
                query.filter(),
                documentIds.get(),
                conditions);
        boolean ranked = query.retrieval() != Retrieval.LEXICAL;
        List<Scored> above = candidates.retrieve(VectorKind.MEMORIES, scope, query.retrieval(), query.limit()).stream()
                .filter(hit -> Similarity.of(hit.similarity()) >= query.threshold())
                .toList();
        List<Scored> hits = window(above, query.limit(), ranked);
        Map<String, MemoryRow> rows = reader.byIds(
                query.orgId(), hits.stream().map(hit -> hit.point().id()).toList());

        List<RankedRow> kept = new ArrayList<>();
        for (Scored hit : hits) {
            MemoryRow row = rows.get(hit.point().id());
            if (row != null && row.isLatest() && (query.forgotten() || !row.forgottenAt(now))) {
                double similarity = Similarity.of(hit.similarity());
                double rank = ranked
                        ? MemoryRanking.rank(similarity, row.isStatic(), row.isInference(), row.updatedAt(), now)
                        : similarity;
                kept.add(new RankedRow(row, similarity, rank));
            }
        }
        if (ranked) {
            kept.sort(Comparator.comparingDouble(RankedRow::rank).reversed()); // stable: ties keep retrieval order
        }
        kept = kept.subList(0, Math.min(query.limit(), kept.size()));
        List<String> ids = kept.stream().map(hit -> hit.row().id()).toList();
        Map<String, MemoryResult.Context> contexts =
                query.related() ? contexts(query, ids.stream().map(rows::get).toList(), now) : Map.of();
        Map<String, List<DocumentRef>> documents =
                query.documents() ? reader.documents(query.orgId(), ids, query.summaries()) : Map.of();

        List<RankedMemory> results = new ArrayList<>(kept.size());
        for (RankedRow hit : kept) {
            MemoryRow row = hit.row();
            results.add(new RankedMemory(
                    new MemoryResult(
                            row.id(),
                            row.memory(),
                            null,
                            row.metadata(),
                            hit.similarity(),
                            row.updatedAt().toString(),
                            row.version(),
                            query.related() ? contexts.get(row.id()) : null,
                            query.documents() ? documents.getOrDefault(row.id(), List.of()) : null),
                    hit.rank()));
        }
        LOG.debugf(
                "memory search: %d hit(s) above the threshold, %d read, %d returned",
                above.size(), hits.size(), results.size());
        return results;
    }

    /** A live row, its reported similarity and its rank score. */
    private record RankedRow(MemoryRow row, double similarity, double rank) {}

    /**
     * The hits whose rows are read, in retrieval order: the first {@code limit} plus {@value #SLACK} (for rows the
     * database no longer counts), and when ranking, every later hit close enough to the {@code limit}-th in similarity
     * (within {@link MemoryRanking#SPREAD}) to overtake it by rank; at most {@value #MAX_ROWS}.
     */
    static List<Scored> window(List<Scored> above, int limit, boolean ranked) {
        int end = Math.min(above.size(), limit + SLACK);
        if (ranked && end < above.size()) {
            double cutoff = above.get(Math.min(limit, above.size()) - 1).similarity() - MemoryRanking.SPREAD;
            while (end < above.size() && end < MAX_ROWS && above.get(end).similarity() >= cutoff) {
                end++;
            }
        }
        return above.subList(0, end);
    }

    /** Parents and children in each result's version chain, and its extends/derives neighbours. */
    private Map<String, MemoryResult.Context> contexts(MemoryQuery query, List<MemoryRow> results, Instant now) {
        Set<String> roots = results.stream().map(MemoryRow::rootMemoryId).collect(Collectors.toSet());
        Map<String, List<MemoryRow>> chains =
                reader.chains(query.orgId(), roots).stream().collect(Collectors.groupingBy(MemoryRow::rootMemoryId));
        Set<String> ids = results.stream().map(MemoryRow::id).collect(Collectors.toSet());
        List<MemoryReader.Relation> relations = reader.relations(query.orgId(), ids);
        Set<String> neighbourIds = new HashSet<>();
        for (MemoryReader.Relation relation : relations) {
            neighbourIds.add(relation.from());
            neighbourIds.add(relation.to());
        }
        Map<String, MemoryRow> neighbours = reader.byIds(query.orgId(), neighbourIds);

        Map<String, MemoryResult.Context> contexts = new java.util.HashMap<>();
        for (MemoryRow result : results) {
            List<ContextMemory> parents = new ArrayList<>();
            List<ContextMemory> children = new ArrayList<>();
            for (MemoryRow version : chains.getOrDefault(result.rootMemoryId(), List.of())) {
                int distance = version.version() - result.version();
                if (distance < 0) {
                    parents.add(context(version, "updates", distance));
                } else if (distance > 0) {
                    children.add(context(version, "updates", distance));
                }
            }
            parents.sort((a, b) -> Integer.compare(b.version(), a.version())); // -1 first
            Set<String> seen = new LinkedHashSet<>();
            List<ContextMemory> related = new ArrayList<>();
            for (MemoryReader.Relation relation : relations) {
                String other = relation.from().equals(result.id())
                        ? relation.to()
                        : relation.to().equals(result.id()) ? relation.from() : null;
                MemoryRow neighbour = other == null ? null : neighbours.get(other);
                if (neighbour != null
                        && (query.forgotten() || !neighbour.forgottenAt(now))
                        && seen.add(neighbour.id())) {
                    related.add(context(neighbour, relation.relation(), null));
                }
            }
            contexts.put(result.id(), new MemoryResult.Context(parents, children, related));
        }
        return contexts;
    }

    private static ContextMemory context(MemoryRow row, String relation, Integer distance) {
        return new ContextMemory(row.memory(), relation, row.updatedAt().toString(), row.metadata(), distance);
    }
}
