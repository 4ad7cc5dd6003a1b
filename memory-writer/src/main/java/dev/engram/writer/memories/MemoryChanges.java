package dev.engram.writer.memories;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a new version differs from the version it updates, besides its content. Start with {@link #inherit()} (every
 * field as before) and change what is given.
 *
 * @param metadata the new metadata, or {@code null} to inherit
 * @param forgetAfter the expiry; clearing it also clears {@code forgetReason}
 * @param forgetReason the reason for the expiry
 * @param documentDate {@link TemporalContext#documentDate()}
 * @param eventDates {@link TemporalContext#eventDates()} ({@code clear} leaves none)
 * @param isStatic the new static flag, or {@code null} to inherit
 * @param source where the new version was observed, or {@code null} to inherit the sources of the version it updates
 * @param idempotencyKey makes the new version's id deterministic (see {@link NewMemory#idempotencyKey()}); a
 *     redelivered update with the same key returns the version it made the first time
 * @param embedding the new content's embedding if the caller has it, else {@code null}
 */
public record MemoryChanges(
        Map<String, Object> metadata,
        FieldUpdate<Instant> forgetAfter,
        FieldUpdate<String> forgetReason,
        FieldUpdate<Instant> documentDate,
        FieldUpdate<List<Instant>> eventDates,
        Boolean isStatic,
        MemorySource source,
        String idempotencyKey,
        float[] embedding) {

    public MemoryChanges {
        forgetAfter = forgetAfter == null ? FieldUpdate.keep() : forgetAfter;
        forgetReason = forgetReason == null ? FieldUpdate.keep() : forgetReason;
        documentDate = documentDate == null ? FieldUpdate.keep() : documentDate;
        eventDates = eventDates == null ? FieldUpdate.keep() : eventDates;
    }

    /** Everything inherited from the version being updated. */
    public static MemoryChanges inherit() {
        return new MemoryChanges(null, null, null, null, null, null, null, null, null);
    }

    public MemoryChanges withMetadata(Map<String, Object> value) {
        return new MemoryChanges(
                value,
                forgetAfter,
                forgetReason,
                documentDate,
                eventDates,
                isStatic,
                source,
                idempotencyKey,
                embedding);
    }

    public MemoryChanges withForgetAfter(FieldUpdate<Instant> after, FieldUpdate<String> reason) {
        return new MemoryChanges(
                metadata, after, reason, documentDate, eventDates, isStatic, source, idempotencyKey, embedding);
    }

    public MemoryChanges withTemporalContext(FieldUpdate<Instant> date, FieldUpdate<List<Instant>> events) {
        return new MemoryChanges(
                metadata, forgetAfter, forgetReason, date, events, isStatic, source, idempotencyKey, embedding);
    }

    public MemoryChanges withStatic(Boolean value) {
        return new MemoryChanges(
                metadata,
                forgetAfter,
                forgetReason,
                documentDate,
                eventDates,
                value,
                source,
                idempotencyKey,
                embedding);
    }

    public MemoryChanges withSource(MemorySource value) {
        return new MemoryChanges(
                metadata,
                forgetAfter,
                forgetReason,
                documentDate,
                eventDates,
                isStatic,
                value,
                idempotencyKey,
                embedding);
    }

    public MemoryChanges withIdempotencyKey(String key) {
        return new MemoryChanges(
                metadata, forgetAfter, forgetReason, documentDate, eventDates, isStatic, source, key, embedding);
    }

    public MemoryChanges withEmbedding(float[] vector) {
        return new MemoryChanges(
                metadata,
                forgetAfter,
                forgetReason,
                documentDate,
                eventDates,
                isStatic,
                source,
                idempotencyKey,
                vector);
    }
}
