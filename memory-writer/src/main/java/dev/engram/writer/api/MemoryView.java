package dev.engram.writer.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.engram.writer.memories.Memory;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A memory in API responses (created memories, the new version of an update, list entries and their history).
 * {@code isForgotten} is the state that counts now: an expired memory is forgotten even before the sweep records it.
 * {@code rootMemoryId} is the first version of the chain, the memory's own id for version 1.
 */
public record MemoryView(
        String id,
        String memory,
        String containerTag,
        int version,
        String parentMemoryId,
        String rootMemoryId,
        @JsonProperty("isLatest") boolean isLatest,
        @JsonProperty("isStatic") boolean isStatic,
        @JsonProperty("isInference") boolean isInference,
        @JsonProperty("isForgotten") boolean isForgotten,
        Instant forgetAfter,
        String forgetReason,
        Map<String, Object> metadata,
        Temporal temporalContext,
        int sourceCount,
        Instant createdAt,
        Instant updatedAt) {

    /** The view of {@code memory} at {@code now}. */
    public static MemoryView of(Memory memory, Instant now) {
        var temporal = memory.temporalContext();
        return new MemoryView(
                memory.id(),
                memory.memory(),
                memory.containerTag(),
                memory.version(),
                memory.parentMemoryId(),
                memory.rootMemoryId(),
                memory.isLatest(),
                memory.isStatic(),
                memory.isInference(),
                memory.forgottenAt(now),
                memory.forgetAfter(),
                memory.forgetReason(),
                memory.metadata(),
                temporal.isEmpty() ? null : new Temporal(temporal.documentDate(), temporal.eventDates()),
                memory.sourceCount(),
                memory.createdAt(),
                memory.updatedAt());
    }

    /**
     * {@code temporalContext} as the SDK names it; {@code null} as a whole when no date is known.
     *
     * @param documentDate when the source was written, or {@code null}
     * @param eventDate dates of the events the memory mentions
     */
    public record Temporal(Instant documentDate, List<Instant> eventDate) {}
}
