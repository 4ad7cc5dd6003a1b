package dev.engram.search.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of both searches: results best first, {@code timing} in milliseconds, {@code total} = results returned.
 *
 * @param warnings what was asked for but not done (e.g. {@code rerank} without a reranker); left out when empty
 */
public record SearchResponse<T>(
        List<T> results,
        long timing,
        int total,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {}
