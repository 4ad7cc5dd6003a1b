package dev.engram.search.api;

import dev.engram.core.filters.FilterParser;
import dev.engram.core.tenancy.Orgs;
import dev.engram.search.api.SearchRequests.DocumentSearchRequest;
import dev.engram.search.api.SearchRequests.Include;
import dev.engram.search.api.SearchRequests.MemorySearchRequest;
import dev.engram.search.documents.DocumentQuery;
import dev.engram.search.documents.DocumentSearch;
import dev.engram.search.memories.MemoryQuery;
import dev.engram.search.memories.MemorySearch;
import dev.engram.search.memories.MemorySearch.RankedMemory;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The search endpoints of the Memory API: {@code POST /v4/search} (SDK {@code client.search()} /
 * {@code search.memories}) and {@code POST /v3/search} ({@code search.documents} / {@code search.execute}).
 *
 * <p>Not implemented yet, and said so: {@code rerank}, {@code rewriteQuery} and {@code aggregate} (no reranker or LLM
 * is configured here) are answered normally with a {@code warnings} entry each. {@code filepath} keeps the documents
 * (and memories from documents) with that path, or under it when it ends with {@code /}
 * ({@link dev.engram.search.query.FilepathScope}).
 *
 * <p>{@code /v4/search} modes: {@code memories} (default), {@code documents} (chunk results, each with {@code chunk}
 * instead of {@code memory}) and {@code hybrid} (both, merged by rank score, {@code limit} in all; the deprecated
 * {@code include.chunks} selects it). Similarities of memories and chunks are on the same calibrated scale
 * ({@link dev.engram.search.query.SimilarityFusion}), so they compare.
 *
 * <p>Both endpoints (and {@code /v4/profile}) take Engram's extension field {@code retrieval}: {@code hybrid} (default:
 * dense and BM25 candidates fused), {@code dense} or {@code lexical} ({@link dev.engram.search.query.Retrieval}).
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SearchResource {

    /** {@code threshold} when not given, as Supermemory's. */
    static final double DEFAULT_THRESHOLD = 0.6;

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;

    @Inject
    MemorySearch memorySearch;

    @Inject
    DocumentSearch documentSearch;

    @POST
    @Path("v4/search")
    public SearchResponse<MemoryResult> searchMemories(MemorySearchRequest request) {
        long started = System.nanoTime();
        if (request == null) {
            throw new InvalidRequestException("q", "is required: send a JSON body");
        }
        Include include = request.include() == null ? new Include(null, null, null, null, null) : request.include();
        // include.chunks is the SDK's deprecated spelling of searchMode 'hybrid'
        String mode = request.searchMode() == null
                ? (isTrue(include.chunks()) ? "hybrid" : "memories")
                : request.searchMode();
        if (!List.of("memories", "hybrid", "documents").contains(mode)) {
            throw new InvalidRequestException("searchMode", "must be 'memories', 'hybrid' or 'documents'");
        }
        MemoryQuery query = new MemoryQuery(
                Orgs.DEFAULT,
                RequestChecks.containerTags(request.containerTag(), request.containerTags()),
                RequestChecks.query(request.q()),
                RequestChecks.unitInterval("threshold", request.threshold(), DEFAULT_THRESHOLD),
                RequestChecks.limit("limit", request.limit(), DEFAULT_LIMIT, MAX_LIMIT),
                FilterParser.parse(request.filters(), "filters"),
                isTrue(include.documents()),
                isTrue(include.summaries()),
                isTrue(include.relatedMemories()),
                isTrue(include.forgottenMemories()),
                RequestChecks.retrieval(request.retrieval()),
                RequestChecks.filepath(request.filepath()));
        List<String> warnings = new ArrayList<>();
        warnUnavailable(warnings, request.rerank(), request.rewriteQuery());
        if (isTrue(request.aggregate())) {
            warnings.add("aggregate is not available: no LLM is configured for search; memories are not aggregated");
        }
        List<MemoryResult> results = switch (mode) {
            case "memories" -> memorySearch.search(query);
            case "documents" -> chunks(query);
            default -> hybrid(query);
        };
        return new SearchResponse<>(results, elapsedMs(started), results.size(), warnings);
    }

    @POST
    @Path("v3/search")
    public SearchResponse<DocumentResult> searchDocuments(DocumentSearchRequest request) {
        long started = System.nanoTime();
        if (request == null) {
            throw new InvalidRequestException("q", "is required: send a JSON body");
        }
        if (request.docId() != null && request.docId().isBlank()) {
            throw new InvalidRequestException("docId", "must not be blank");
        }
        DocumentQuery query = new DocumentQuery(
                Orgs.DEFAULT,
                RequestChecks.containerTags(request.containerTag(), request.containerTags()),
                RequestChecks.query(request.q()),
                request.docId() == null ? List.of() : List.of(request.docId()),
                FilterParser.parse(request.filters(), "filters"),
                RequestChecks.unitInterval("chunkThreshold", request.chunkThreshold(), 0.0),
                RequestChecks.limit("limit", request.limit(), DEFAULT_LIMIT, MAX_LIMIT),
                request.onlyMatchingChunks() == null || request.onlyMatchingChunks(),
                isTrue(request.includeFullDocs()),
                isTrue(request.includeSummary()),
                RequestChecks.retrieval(request.retrieval()),
                RequestChecks.filepath(request.filepath()));
        List<String> warnings = new ArrayList<>();
        warnUnavailable(warnings, request.rerank(), request.rewriteQuery());
        List<DocumentResult> results = documentSearch.search(query);
        return new SearchResponse<>(results, elapsedMs(started), results.size(), warnings);
    }

    private List<MemoryResult> chunks(MemoryQuery query) {
        return documentSearch.chunkResults(
                query.orgId(),
                query.containerTags(),
                query.q(),
                query.filter(),
                query.threshold(),
                query.limit(),
                query.retrieval(),
                query.filepath());
    }

    /**
     * Memories and chunks together, at most {@code limit} in all, by rank score: a memory's
     * {@link dev.engram.search.memories.MemoryRanking} score, a chunk's similarity (chunks have no adjustments).
     */
    private List<MemoryResult> hybrid(MemoryQuery query) {
        List<RankedMemory> merged = new ArrayList<>(memorySearch.rank(query));
        chunks(query).forEach(chunk -> merged.add(new RankedMemory(chunk, chunk.similarity())));
        merged.sort(Comparator.comparingDouble(RankedMemory::rank).reversed());
        return merged.stream().limit(query.limit()).map(RankedMemory::result).toList();
    }

    private static void warnUnavailable(List<String> warnings, Boolean rerank, Boolean rewriteQuery) {
        if (isTrue(rerank)) {
            warnings.add("rerank is not available: no reranker is configured; results are ranked by similarity");
        }
        if (isTrue(rewriteQuery)) {
            warnings.add("rewriteQuery is not available: no LLM is configured for search; the query was used as given");
        }
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
