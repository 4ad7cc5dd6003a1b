package dev.engram.writer.memories;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stored memory (one version of a fact), as read from {@code writer.memories}.
 *
 * @param orgId owning organisation
 * @param id the memory's id (each version has its own)
 * @param containerTag the container tag it belongs to
 * @param memory the fact
 * @param contentHash {@link ContentHash} of the fact
 * @param version 1 for a new fact, n+1 for an update of version n
 * @param parentMemoryId the version this one updates, or {@code null} for version 1
 * @param rootMemoryId the first version of the chain (the memory's own id for version 1)
 * @param isLatest whether this is the current version of its chain
 * @param isStatic a long-lived trait rather than a recent episode
 * @param isInference inferred from other memories rather than stated
 * @param isForgotten recorded as forgotten (see {@link #forgottenAt(Instant)} for the state that counts)
 * @param forgetAfter when the memory expires, or {@code null}
 * @param forgetReason why it is (or will be) forgotten, or {@code null}
 * @param metadata flat metadata, never {@code null}
 * @param temporalContext dates of the fact, never {@code null}
 * @param sourceCount how many times the fact was observed
 * @param createdAt when this version was created
 * @param updatedAt when this version last changed (e.g. superseded, forgotten, observed again)
 */
public record Memory(
        String orgId,
        String id,
        String containerTag,
        String memory,
        String contentHash,
        int version,
        String parentMemoryId,
        String rootMemoryId,
        boolean isLatest,
        boolean isStatic,
        boolean isInference,
        boolean isForgotten,
        Instant forgetAfter,
        String forgetReason,
        Map<String, Object> metadata,
        TemporalContext temporalContext,
        int sourceCount,
        Instant createdAt,
        Instant updatedAt) {

    public Memory {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(rootMemoryId, "rootMemoryId");
        metadata = metadata == null ? Map.of() : metadata;
        temporalContext = temporalContext == null ? TemporalContext.NONE : temporalContext;
    }

    /** Whether the memory counts as forgotten at {@code now}: recorded as forgotten, or expired. */
    public boolean forgottenAt(Instant now) {
        return isForgotten || expiredAt(now);
    }

    /** Whether {@link #forgetAfter()} has passed at {@code now}. */
    public boolean expiredAt(Instant now) {
        return forgetAfter != null && !forgetAfter.isAfter(now);
    }
}
