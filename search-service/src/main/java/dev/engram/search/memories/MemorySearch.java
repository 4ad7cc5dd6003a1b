package dev.engram.search.memories;

import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.search.api.MemoryResult;
import dev.engram.search.api.MemoryResult.ContextMemory;
import dev.engram.search.api.MemoryResult.DocumentRef;
import dev.engram.search.query.CandidateRetriever;
import dev.engram.search.query.FilepathScope;
import dev.engram.search.query.QueryEmbeddings;
import dev.engram.search.query.Similarity;
import dev.engram.search.query.SimilarityFusion.Scored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
 * superseded after its point was last written is still left out — and, when asked, their context and documents, one
 * batch query each.
 */
@ApplicationScoped
public class MemorySearch {

    private static final Logger LOG = Logger.getLogger(MemorySearch.class);
    /** Extra candidates asked of the index, for rows the database no longer counts (a point not yet rewritten). */
    private static final int SLACK = 5;

    @Inject
    QueryEmbeddings embeddings;

    @Inject
    CandidateRetriever candidates;

    @Inject
    MemoryReader reader;

    @Inject
    FilepathScope filepaths;

    Clock clock = Clock.systemUTC();

    /** The results, best first. */
    public List<MemoryResult> search(MemoryQuery query) {
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
        VectorQuery vectorQuery = new VectorQuery(
                        query.orgId(),
                        query.containerTags(),
                        embeddings.embed(query.q()),
                        Math.min(1000, query.limit() + SLACK),
                        query.filter(),
                        documentIds.get())
                .withConditions(conditions);
        List<Scored> hits =
                candidates
                        .retrieve(VectorKind.MEMORIES, vectorQuery, query.q(), query.retrieval(), query.limit())
                        .stream()
                        .filter(hit -> Similarity.of(hit.similarity()) >= query.threshold())
                        .limit(vectorQuery.limit())
                        .toList();
        Map<String, MemoryRow> rows = reader.byIds(
                query.orgId(), hits.stream().map(hit -> hit.point().id()).toList());

        List<Scored> kept = new ArrayList<>();
        for (Scored hit : hits) {
            MemoryRow row = rows.get(hit.point().id());
            if (row != null && row.isLatest() && (query.forgotten() || !row.forgottenAt(now))) {
                kept.add(hit);
            }
            if (kept.size() == query.limit()) {
                break;
            }
        }
        List<String> ids = kept.stream().map(hit -> hit.point().id()).toList();
        Map<String, MemoryResult.Context> contexts =
                query.related() ? contexts(query, ids.stream().map(rows::get).toList(), now) : Map.of();
        Map<String, List<DocumentRef>> documents =
                query.documents() ? reader.documents(query.orgId(), ids, query.summaries()) : Map.of();

        List<MemoryResult> results = new ArrayList<>(kept.size());
        for (Scored hit : kept) {
            MemoryRow row = rows.get(hit.point().id());
            results.add(new MemoryResult(
                    row.id(),
                    row.memory(),
                    null,
                    row.metadata(),
                    Similarity.of(hit.similarity()),
                    row.updatedAt().toString(),
                    row.version(),
                    query.related() ? contexts.get(row.id()) : null,
                    query.documents() ? documents.getOrDefault(row.id(), List.of()) : null));
        }
        LOG.debugf("memory search: %d hit(s) above the threshold, %d returned", hits.size(), ids.size());
        return results;
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
