package dev.engram.search.documents;

import dev.engram.core.filters.Filter;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorKind;
import dev.engram.search.api.DocumentResult;
import dev.engram.search.api.MemoryResult;
import dev.engram.search.documents.DocumentReader.ChunkKey;
import dev.engram.search.documents.DocumentReader.DocumentRow;
import dev.engram.search.query.CandidateRetriever;
import dev.engram.search.query.FilepathScope;
import dev.engram.search.query.Retrieval;
import dev.engram.search.query.Similarity;
import dev.engram.search.query.SimilarityFusion.Scored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Document search ({@code /v3/search}): the chunks that match the query (dense, lexical or both, see
 * {@link CandidateRetriever}; tags, documents and metadata filter applied inside the index), those at or above
 * {@code chunkThreshold} grouped by document, documents ranked by their best chunk (their first in the retrieval's
 * order); then
 * the documents' rows in one batch query and, unless {@code onlyMatchingChunks}, the neighbouring chunks in another.
 */
@ApplicationScoped
public class DocumentSearch {

    private static final Logger LOG = Logger.getLogger(DocumentSearch.class);
    /** Chunks asked of the index per document wanted: documents often match with several chunks. */
    private static final int CHUNKS_PER_DOCUMENT = 10;

    @Inject
    CandidateRetriever candidates;

    @Inject
    DocumentReader reader;

    @Inject
    FilepathScope filepaths;

    /** A matching chunk. */
    private record Match(int position, String text, double score) {}

    /** The documents, best first. */
    public List<DocumentResult> search(DocumentQuery query) {
        Optional<List<String>> documentIds =
                filepaths.scope(query.orgId(), query.containerTags(), query.documentIds(), query.filepath());
        if (documentIds.isEmpty()) {
            LOG.debug("document search: no document matches the filepath");
            return List.of();
        }
        int chunks = Math.min(1000, Math.max(50, query.limit() * CHUNKS_PER_DOCUMENT));
        TextQuery scope = new TextQuery(
                query.orgId(), query.containerTags(), query.q(), chunks, query.filter(), documentIds.get(), List.of());
        List<Scored> hits = candidates.retrieve(VectorKind.CHUNKS, scope, query.retrieval(), query.limit());
        // hits come best first, so each document's first match is its best and documents keep their rank order
        Map<String, List<Match>> byDocument = new LinkedHashMap<>();
        for (Scored hit : hits) {
            double score = Similarity.of(hit.similarity());
            if (score < query.chunkThreshold()) {
                continue;
            }
            String documentId = hit.point().documentId();
            if (!byDocument.containsKey(documentId) && byDocument.size() == query.limit()) {
                continue;
            }
            Object position = hit.point().attributes().get("position");
            byDocument
                    .computeIfAbsent(documentId, id -> new ArrayList<>())
                    .add(new Match(
                            position instanceof Number n ? n.intValue() : -1,
                            hit.point().text(),
                            score));
        }
        Map<String, DocumentRow> rows =
                reader.documents(query.orgId(), byDocument.keySet(), query.includeFullDocs(), query.includeSummary());
        Map<ChunkKey, String> neighbours = query.onlyMatchingChunks() ? Map.of() : neighbours(query, byDocument);

        List<DocumentResult> results = new ArrayList<>(byDocument.size());
        for (Map.Entry<String, List<Match>> entry : byDocument.entrySet()) {
            String documentId = entry.getKey();
            List<Match> matches = entry.getValue();
            DocumentRow row = rows.get(documentId);
            results.add(new DocumentResult(
                    documentId,
                    row == null ? null : row.title(),
                    row == null ? null : row.type(),
                    matches.get(0).score(),
                    row == null ? Map.of() : row.metadata(),
                    row == null ? null : row.createdAt().toString(),
                    row == null ? null : row.updatedAt().toString(),
                    chunks(documentId, matches, neighbours, query.onlyMatchingChunks()),
                    row == null || !query.includeSummary() ? null : row.summary(),
                    row == null || !query.includeFullDocs() ? null : row.content()));
        }
        LOG.debugf("document search: %d chunk hit(s), %d document(s)", hits.size(), results.size());
        return results;
    }

    /**
     * Chunks as {@code /v4/search} results ({@code searchMode} {@code documents} and {@code hybrid}): the nearest
     * chunks at or above {@code threshold}, each with its document's metadata and {@code updatedAt} (one batch query).
     *
     * @param filepath only chunks of documents with this path (a prefix when it ends with {@code /}), or {@code null}
     */
    public List<MemoryResult> chunkResults(
            String orgId,
            List<String> containerTags,
            String q,
            Filter filter,
            double threshold,
            int limit,
            Retrieval retrieval,
            String filepath) {
        Optional<List<String>> documentIds = filepaths.scope(orgId, containerTags, List.of(), filepath);
        if (documentIds.isEmpty()) {
            return List.of();
        }
        TextQuery scope = new TextQuery(orgId, containerTags, q, limit, filter, documentIds.get(), List.of());
        List<Scored> hits = candidates.retrieve(VectorKind.CHUNKS, scope, retrieval, limit).stream()
                .filter(hit -> Similarity.of(hit.similarity()) >= threshold)
                .limit(limit)
                .toList();
        Map<String, DocumentRow> rows = reader.documents(
                orgId,
                hits.stream().map(hit -> hit.point().documentId()).distinct().toList(),
                false,
                false);
        List<MemoryResult> results = new ArrayList<>(hits.size());
        for (Scored hit : hits) {
            DocumentRow row = rows.get(hit.point().documentId());
            results.add(new MemoryResult(
                    hit.point().id(),
                    null,
                    hit.point().text(),
                    hit.point().metadata(),
                    Similarity.of(hit.similarity()),
                    row == null ? null : row.updatedAt().toString(),
                    null,
                    null,
                    null));
        }
        return results;
    }

    /** The chunks just before and after each match that are not matches themselves. */
    private Map<ChunkKey, String> neighbours(DocumentQuery query, Map<String, List<Match>> byDocument) {
        List<ChunkKey> wanted = new ArrayList<>();
        for (Map.Entry<String, List<Match>> entry : byDocument.entrySet()) {
            List<Integer> matched =
                    entry.getValue().stream().map(Match::position).toList();
            for (int position : matched) {
                for (int neighbour : new int[] {position - 1, position + 1}) {
                    ChunkKey key = new ChunkKey(entry.getKey(), neighbour);
                    if (neighbour >= 0 && !matched.contains(neighbour) && !wanted.contains(key)) {
                        wanted.add(key);
                    }
                }
            }
        }
        return reader.chunks(query.orgId(), wanted);
    }

    /** Matches best first; with neighbours, everything in document order, so the text reads on. */
    private static List<DocumentResult.Chunk> chunks(
            String documentId, List<Match> matches, Map<ChunkKey, String> neighbours, boolean onlyMatching) {
        if (onlyMatching) {
            return matches.stream()
                    .sorted(Comparator.comparingDouble(Match::score).reversed())
                    .map(match -> new DocumentResult.Chunk(match.text(), true, match.score()))
                    .toList();
        }
        TreeMap<Integer, DocumentResult.Chunk> ordered = new TreeMap<>();
        for (Match match : matches) {
            ordered.put(match.position(), new DocumentResult.Chunk(match.text(), true, match.score()));
        }
        neighbours.forEach((key, text) -> {
            if (key.documentId().equals(documentId)) {
                ordered.putIfAbsent(key.position(), new DocumentResult.Chunk(text, false, 0.0));
            }
        });
        return List.copyOf(ordered.values());
    }
}
