package dev.engram.core.vectors;

import java.util.Map;
import java.util.Objects;

/**
 * One vector with what search needs to answer without another round trip.
 *
 * @param id deterministic id (the chunk's or memory's id), so a redelivered write replaces instead of duplicating
 * @param orgId owning organisation; every query filters on it
 * @param containerTag the container tag; every query filters on it
 * @param documentId the source document (for deletes and grouping)
 * @param vector the embedding; its length is the collection's dimension
 * @param text the chunk or memory text (for lexical search and for results)
 * @param metadata flat, filterable metadata (string, number, boolean, string-list values)
 * @param attributes other stored values returned with hits but not used in filters (e.g. chunk position)
 */
public record VectorPoint(
        String id,
        String orgId,
        String containerTag,
        String documentId,
        float[] vector,
        String text,
        Map<String, Object> metadata,
        Map<String, Object> attributes) {

    public VectorPoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
