package dev.engram.search.memories;

import dev.engram.core.filters.Filter;
import dev.engram.search.query.Retrieval;
import java.util.List;

/**
 * A checked {@code /v4/search} memory query.
 *
 * @param containerTags tags to search (hard isolation); empty means every tag of the organisation
 * @param threshold least similarity returned, 0..1
 * @param limit most results, 1..100
 * @param filter metadata filter, or {@code null}
 * @param documents include each memory's source documents
 * @param summaries include the documents' summaries
 * @param related include the version chain and related memories as {@code context}
 * @param forgotten include forgotten and expired memories
 * @param retrieval which candidates are ranked (dense, lexical or both)
 * @param filepath only memories whose source document has this path (a prefix when it ends with {@code /}), or
 *     {@code null}; see {@link dev.engram.search.query.FilepathScope}
 */
public record MemoryQuery(
        String orgId,
        List<String> containerTags,
        String q,
        double threshold,
        int limit,
        Filter filter,
        boolean documents,
        boolean summaries,
        boolean related,
        boolean forgotten,
        Retrieval retrieval,
        String filepath) {

    /** This query with another query text and limit (an LLM's rewrite, more candidates for a reranker). */
    public MemoryQuery withSearch(String newQ, int newLimit) {
        return new MemoryQuery(
                orgId,
                containerTags,
                newQ,
                threshold,
                newLimit,
                filter,
                documents,
                summaries,
                related,
                forgotten,
                retrieval,
                filepath);
    }
}
