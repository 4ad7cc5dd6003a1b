package dev.engram.search.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One result of {@code POST /v3/search} (SDK {@code SearchDocumentsResponse.Result}): a document and its chunks.
 *
 * @param score the best chunk's similarity, 0..1
 * @param chunks the matching chunks ({@code isRelevant}), plus their neighbours unless {@code onlyMatchingChunks}
 * @param summary with {@code includeSummary}
 * @param content the whole document, with {@code includeFullDocs}
 */
public record DocumentResult(
        String documentId,
        String title,
        String type,
        double score,
        Map<String, Object> metadata,
        String createdAt,
        String updatedAt,
        List<Chunk> chunks,
        @JsonInclude(JsonInclude.Include.NON_NULL) String summary,
        @JsonInclude(JsonInclude.Include.NON_NULL) String content) {

    /** A chunk of the document: a match ({@code isRelevant}) or a neighbour of one (score 0). */
    public record Chunk(String content, boolean isRelevant, double score) {}
}
