package dev.engram.core.vectors;

import dev.engram.core.filters.Filter;
import java.util.List;
import java.util.Objects;

/**
 * A nearest-neighbour query, always scoped to one organisation and a set of container tags (hard isolation), with
 * an optional metadata filter and attribute conditions applied inside the index, so {@code limit} results come back
 * whenever that many match.
 *
 * @param orgId the caller's organisation
 * @param containerTags the tags to search; empty means every tag of the organisation
 * @param vector the query embedding
 * @param limit most hits returned, 1..1000
 * @param filter metadata filter, or {@code null}
 * @param documentIds restrict to these documents, or empty for all
 * @param conditions conditions on the points' attributes, all of which must hold; empty for none
 */
public record VectorQuery(
        String orgId,
        List<String> containerTags,
        float[] vector,
        int limit,
        Filter filter,
        List<String> documentIds,
        List<AttributeCondition> conditions) {

    public VectorQuery {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(vector, "vector");
        containerTags = containerTags == null ? List.of() : List.copyOf(containerTags);
        documentIds = documentIds == null ? List.of() : List.copyOf(documentIds);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within 1..1000: " + limit);
        }
    }

    /** A query without attribute conditions. */
    public VectorQuery(
            String orgId,
            List<String> containerTags,
            float[] vector,
            int limit,
            Filter filter,
            List<String> documentIds) {
        this(orgId, containerTags, vector, limit, filter, documentIds, List.of());
    }

    /** This query with {@code conditions} instead of its own. */
    public VectorQuery withConditions(List<AttributeCondition> conditions) {
        return new VectorQuery(orgId, containerTags, vector, limit, filter, documentIds, conditions);
    }
}
