package dev.engram.search.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The bodies of the search endpoints, as the SDK sends them (unknown and deprecated fields are ignored), plus Engram's
 * extension field {@code retrieval} ({@code hybrid} | {@code dense} | {@code lexical}, see
 * {@link dev.engram.search.query.Retrieval}), which the SDK never sends.
 */
public final class SearchRequests {

    private SearchRequests() {}

    /** {@code POST /v4/search} (SDK {@code SearchMemoriesParams}). */
    public record MemorySearchRequest(
            String q,
            String containerTag,
            List<String> containerTags,
            Double threshold,
            Integer limit,
            JsonNode filters,
            Include include,
            String searchMode,
            Boolean rerank,
            Boolean rewriteQuery,
            Boolean aggregate,
            String filepath,
            String retrieval) {}

    /** {@code include} of {@code POST /v4/search}. */
    public record Include(
            Boolean documents, Boolean summaries, Boolean relatedMemories, Boolean forgottenMemories, Boolean chunks) {}

    /** {@code POST /v3/search} (SDK {@code SearchDocumentsParams}). */
    public record DocumentSearchRequest(
            String q,
            String containerTag,
            List<String> containerTags,
            String docId,
            JsonNode filters,
            Double chunkThreshold,
            Integer limit,
            Boolean onlyMatchingChunks,
            Boolean includeFullDocs,
            Boolean includeSummary,
            Boolean rerank,
            Boolean rewriteQuery,
            String filepath,
            String retrieval) {}

    /** {@code POST /v4/profile} (SDK {@code ProfileParams}). */
    public record ProfileRequest(String containerTag, String q, Double threshold, JsonNode filters, String retrieval) {}
}
