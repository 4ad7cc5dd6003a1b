package dev.engram.writer.memories;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A fact to store as a new memory (version 1 of its own chain). Start with {@link #of(String)} and add what is known.
 *
 * @param content the fact, not blank
 * @param isStatic a long-lived trait rather than a recent episode
 * @param isInference inferred rather than stated
 * @param metadata flat metadata (string, number, boolean or string-list values); {@code null} means none
 * @param forgetAfter when it expires, or {@code null}
 * @param forgetReason why it will be forgotten, or {@code null}
 * @param temporalContext its dates; {@code null} means none
 * @param idempotencyKey makes the id deterministic: the same key in the same organisation and tag always names the
 *     same memory, so a redelivered write finds it instead of adding a twin (e.g.
 *     {@code DocumentIds.derived(documentId, revision, String.valueOf(index))}); {@code null} for a random id
 * @param embedding the content's embedding if the caller already has it from the same {@code TextEmbedder}, else
 *     {@code null} (it is computed)
 */
public record NewMemory(
        String content,
        boolean isStatic,
        boolean isInference,
        Map<String, Object> metadata,
        Instant forgetAfter,
        String forgetReason,
        TemporalContext temporalContext,
        String idempotencyKey,
        float[] embedding) {

    public NewMemory {
        Objects.requireNonNull(content, "content");
        if (content.isBlank()) {
            throw new IllegalArgumentException("a memory's content must not be blank");
        }
        metadata = metadata == null ? Map.of() : metadata;
        temporalContext = temporalContext == null ? TemporalContext.NONE : temporalContext;
    }

    /** A dynamic, stated fact with no metadata, expiry or dates. */
    public static NewMemory of(String content) {
        return new NewMemory(content, false, false, Map.of(), null, null, TemporalContext.NONE, null, null);
    }

    public NewMemory withStatic(boolean value) {
        return new NewMemory(
                content,
                value,
                isInference,
                metadata,
                forgetAfter,
                forgetReason,
                temporalContext,
                idempotencyKey,
                embedding);
    }

    public NewMemory withInference(boolean value) {
        return new NewMemory(
                content,
                isStatic,
                value,
                metadata,
                forgetAfter,
                forgetReason,
                temporalContext,
                idempotencyKey,
                embedding);
    }

    public NewMemory withMetadata(Map<String, Object> value) {
        return new NewMemory(
                content,
                isStatic,
                isInference,
                value,
                forgetAfter,
                forgetReason,
                temporalContext,
                idempotencyKey,
                embedding);
    }

    public NewMemory withForgetAfter(Instant when, String reason) {
        return new NewMemory(
                content, isStatic, isInference, metadata, when, reason, temporalContext, idempotencyKey, embedding);
    }

    public NewMemory withTemporalContext(TemporalContext value) {
        return new NewMemory(
                content, isStatic, isInference, metadata, forgetAfter, forgetReason, value, idempotencyKey, embedding);
    }

    public NewMemory withIdempotencyKey(String key) {
        return new NewMemory(
                content, isStatic, isInference, metadata, forgetAfter, forgetReason, temporalContext, key, embedding);
    }

    public NewMemory withEmbedding(float[] vector) {
        return new NewMemory(
                content,
                isStatic,
                isInference,
                metadata,
                forgetAfter,
                forgetReason,
                temporalContext,
                idempotencyKey,
                vector);
    }
}
