package dev.engram.writer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The response bodies of the memory API that are not memories themselves. */
public final class Responses {

    private Responses() {}

    /**
     * {@code POST /v4/memories}.
     *
     * @param documentId the light source document recording where the memories came from
     * @param memories the created memories, in request order
     */
    public record Created(String documentId, List<MemoryView> memories) {}

    /** {@code DELETE /v4/memories} (the SDK's {@code MemoryForgetResponse}). */
    public record Forgotten(String id, boolean forgotten) {}

    /** {@code POST /v4/memories/list}. */
    public record Listed(List<MemoryEntryView> memoryEntries, Pagination pagination) {}

    /** Paging of a list. */
    public record Pagination(int currentPage, int limit, long totalItems, long totalPages) {}

    /**
     * {@code POST /v4/memories/forget-matching}: a dry run lists {@code candidates}; a real run lists the forgotten
     * {@code ids}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ForgetMatching(List<Candidate> candidates, int forgotten, List<String> ids, boolean dryRun) {}

    /**
     * A memory that matched.
     *
     * @param similarity 0..1 (cosine similarity clamped at 0); {@code null} for memories named by id
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Candidate(String id, String memory, Double similarity) {}
}
