package dev.engram.core.vectors;

import dev.engram.core.filters.Filter;
import java.util.List;
import java.util.Objects;

/**
 * A lexical (BM25) query, scoped exactly like a {@link VectorQuery}: always to one organisation and a set of container
 * tags (hard isolation), with an optional metadata filter, document restriction and attribute conditions applied
 * inside the index (a pre-filter, so {@code limit} hits come back whenever that many in-scope points match a term).
 *
 * <p>The text is plain user text, never query syntax: adapters analyse it into terms (English analysis: lower-casing,
 * stop words, stemming) and rank the points that contain any of them. A text whose terms are all stop words or
 * punctuation has no terms and finds nothing.
 *
 * @param orgId the caller's organisation
 * @param containerTags the tags to search; empty means every tag of the organisation
 * @param text the query text; not blank
 * @param limit most hits returned, 1..1000
 * @param filter metadata filter, or {@code null}
 * @param documentIds restrict to these documents, or empty for all
 * @param conditions conditions on the points' attributes, all of which must hold; empty for none
 */
public record TextQuery(
        String orgId,
        List<String> containerTags,
        String text,
        int limit,
        Filter filter,
        List<String> documentIds,
        List<AttributeCondition> conditions) {

    public TextQuery {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("the text of a lexical query must not be blank");
        }
        containerTags = containerTags == null ? List.of() : List.copyOf(containerTags);
        documentIds = documentIds == null ? List.of() : List.copyOf(documentIds);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within 1..1000: " + limit);
        }
    }

    /**
     * The lexical twin of a dense query: the same organisation, tags, limit, filter, documents and conditions, searching
     * {@code text} instead of a vector (for running both searches of a hybrid query over one scope).
     */
    public static TextQuery of(VectorQuery scope, String text) {
        Objects.requireNonNull(scope, "scope");
        return new TextQuery(
                scope.orgId(),
                scope.containerTags(),
                text,
                scope.limit(),
                scope.filter(),
                scope.documentIds(),
                scope.conditions());
    }

    /** This query with {@code limit} instead of its own. */
    public TextQuery withLimit(int limit) {
        return new TextQuery(orgId, containerTags, text, limit, filter, documentIds, conditions);
    }

    /** This query with {@code conditions} instead of its own. */
    public TextQuery withConditions(List<AttributeCondition> conditions) {
        return new TextQuery(orgId, containerTags, text, limit, filter, documentIds, conditions);
    }
}
