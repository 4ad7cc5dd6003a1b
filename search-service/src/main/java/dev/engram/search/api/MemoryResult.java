package dev.engram.search.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One result of {@code POST /v4/search} (SDK {@code SearchMemoriesResponse.Result}): a memory ({@code memory} set)
 * or, in the hybrid and documents modes, a chunk ({@code chunk} set).
 *
 * @param id the memory id (usable with {@code PATCH}/{@code DELETE /v4/memories}) or the chunk id
 * @param similarity 0..1, see {@link dev.engram.search.query.Similarity}
 * @param updatedAt ISO-8601
 * @param version the memory's version (1 for the first), absent for chunks
 * @param context parents/children in the version chain and related memories, with {@code include.relatedMemories}
 * @param documents the memory's source documents, with {@code include.documents}
 * @param isAggregated {@code true} for a memory the LLM synthesized from other results ({@code aggregate}); absent
 *     otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryResult(
        String id,
        String memory,
        String chunk,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> metadata,
        double similarity,
        String updatedAt,
        Integer version,
        Context context,
        List<DocumentRef> documents,
        @JsonProperty("isAggregated") Boolean isAggregated) {

    /** A stored memory or a chunk (not aggregated). */
    public MemoryResult(
            String id,
            String memory,
            String chunk,
            Map<String, Object> metadata,
            double similarity,
            String updatedAt,
            Integer version,
            Context context,
            List<DocumentRef> documents) {
        this(id, memory, chunk, metadata, similarity, updatedAt, version, context, documents, null);
    }

    /** Version history and related memories of a result. */
    public record Context(List<ContextMemory> parents, List<ContextMemory> children, List<ContextMemory> related) {}

    /**
     * A memory around a result.
     *
     * @param relation {@code updates} for the version chain, {@code extends}/{@code derives} for related memories
     * @param version distance in the chain: -1 the direct parent, +1 the direct child; absent for related memories
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContextMemory(
            String memory, String relation, String updatedAt, Map<String, Object> metadata, Integer version) {}

    /** A source document of a memory. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DocumentRef(
            String id,
            String createdAt,
            String updatedAt,
            Map<String, Object> metadata,
            String title,
            String type,
            String summary) {}
}
