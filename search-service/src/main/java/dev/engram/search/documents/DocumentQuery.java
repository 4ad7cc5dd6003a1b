package dev.engram.search.documents;

import dev.engram.core.filters.Filter;
import dev.engram.search.query.Retrieval;
import java.util.List;

/**
 * A checked {@code /v3/search} query.
 *
 * @param containerTags tags to search (hard isolation); empty means every tag of the organisation
 * @param documentIds restrict to these documents ({@code docId}), or empty
 * @param chunkThreshold least chunk similarity, 0..1
 * @param limit most documents, 1..100
 * @param onlyMatchingChunks false adds each matching chunk's neighbours (position ±1)
 * @param retrieval which candidate chunks are ranked (dense, lexical or both)
 * @param filepath only documents with this path (a prefix when it ends with {@code /}), or {@code null}; see
 *     {@link dev.engram.search.query.FilepathScope}
 */
public record DocumentQuery(
        String orgId,
        List<String> containerTags,
        String q,
        List<String> documentIds,
        Filter filter,
        double chunkThreshold,
        int limit,
        boolean onlyMatchingChunks,
        boolean includeFullDocs,
        boolean includeSummary,
        Retrieval retrieval,
        String filepath) {

    /** This query with another query text and limit (an LLM's rewrite, more candidates for a reranker). */
    public DocumentQuery withSearch(String newQ, int newLimit) {
        return new DocumentQuery(
                orgId,
                containerTags,
                newQ,
                documentIds,
                filter,
                chunkThreshold,
                newLimit,
                onlyMatchingChunks,
                includeFullDocs,
                includeSummary,
                retrieval,
                filepath);
    }
}
