package dev.engram.search.api;

import dev.engram.core.filters.FilterParser;
import dev.engram.search.api.SearchRequests.DocumentSearchRequest;
import dev.engram.search.api.SearchRequests.Include;
import dev.engram.search.api.SearchRequests.MemorySearchRequest;
import dev.engram.search.auth.RequestCaller;
import dev.engram.search.documents.DocumentQuery;
import dev.engram.search.documents.DocumentSearch;
import dev.engram.search.llm.LlmSearchSteps;
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
 * <p>{@code rewriteQuery}, {@code rerank} and {@code aggregate} go through the configured LLM ({@link LlmSearchSteps});
 * without one, or when its call fails, the search is answered without them and a {@code warnings} entry says so.
 * {@code filepath} keeps the documents (and memories from documents) with that path, or under it when it ends with
 * {@code /} ({@link dev.engram.search.query.FilepathScope}).
 *
 * <p>{@code /v4/search} modes: {@code memories} (default), {@code documents} (chunk results, each with {@code chunk}
 * instead of {@code memory}) and {@code hybrid} (both, merged by rank score, {@code limit} in all; the deprecated
 * {@code include.chunks} selects it). Similarities of memories and chunks are on the same calibrated scale
 * ({@link dev.engram.search.query.SimilarityFusion}), so they compare.
 *
 * <p>Every search stays inside the caller's organisation. A scoped key searches its own container tag only: a request
 * that names no tag is scoped to it and one that names another is refused ({@link TagScope}); a {@code docId} outside
 * the tag then finds nothing, as an unknown one.
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

    @Inject
    LlmSearchSteps llm;

    @Inject
    RequestCaller caller;

    @Inject
    SearchTimings timings;

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
                caller.get().orgId(),
                TagScope.searchTags(caller.get(), request.containerTag(), request.containerTags()),
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
        boolean rerank = isTrue(request.rerank());
        MemoryQuery searched = query.withSearch(
                llm.query(query.q(), isTrue(request.rewriteQuery()), warnings),
                llm.candidates(rerank, query.limit(), MAX_LIMIT));
        List<MemoryResult> results = switch (mode) {
            case "memories" -> memorySearch.search(searched);
            case "documents" -> chunks(searched);
            default -> hybrid(searched);
        };
        if (isTrue(request.aggregate()) && mode.equals("documents")) {
            warnings.add(
                    "aggregate combines memories: searchMode 'documents' returns chunks only, nothing was aggregated");
        } else {
            results = llm.aggregate(query.q(), results, query.limit(), isTrue(request.aggregate()), warnings);
        }
        results = llm.rerank(
                query.q(),
                results,
                result -> result.memory() != null ? result.memory() : result.chunk(),
                query.limit(),
                rerank,
                warnings);
        timings.record("/v4/search", mode, query.retrieval(), started);
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
                caller.get().orgId(),
                TagScope.searchTags(caller.get(), request.containerTag(), request.containerTags()),
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
        boolean rerank = isTrue(request.rerank());
        DocumentQuery searched = query.withSearch(
                llm.query(query.q(), isTrue(request.rewriteQuery()), warnings),
                llm.candidates(rerank, query.limit(), MAX_LIMIT));
        List<DocumentResult> results = llm.rerank(
                query.q(),
                documentSearch.search(searched),
                SearchResource::rerankText,
                query.limit(),
                rerank,
                warnings);
        timings.record("/v3/search", "documents", query.retrieval(), started);
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

    /** What the reranker judges a document by: its title and its matching chunks. */
    private static String rerankText(DocumentResult result) {
        StringBuilder text = new StringBuilder(result.title() == null ? "" : result.title() + ": ");
        result.chunks().stream()
                .filter(DocumentResult.Chunk::isRelevant)
                .forEach(chunk -> text.append(chunk.content()).append(' '));
        return text.toString().strip();
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
