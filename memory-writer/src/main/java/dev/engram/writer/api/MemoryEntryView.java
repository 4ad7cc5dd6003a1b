package dev.engram.writer.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.engram.writer.listing.ListMemories;
import java.time.Instant;
import java.util.List;

/**
 * An entry of {@code POST /v4/memories/list}: the memory's fields, then its history (older versions of its chain,
 * newest first), its relations and its source documents.
 */
public record MemoryEntryView(
        @JsonUnwrapped MemoryView memoryFields,
        List<MemoryView> history,
        List<RelationView> memoryRelations,
        List<String> documentIds) {

    static MemoryEntryView of(ListMemories.Entry entry, Instant now) {
        return new MemoryEntryView(
                MemoryView.of(entry.memory(), now),
                entry.history().stream().map(m -> MemoryView.of(m, now)).toList(),
                entry.relations().stream()
                        .map(r -> new RelationView(
                                r.memoryId(), r.relation().wireName(), r.outgoing() ? "outgoing" : "incoming"))
                        .toList(),
                entry.documentIds());
    }

    /**
     * One relation of the listed memory.
     *
     * @param memoryId the other memory
     * @param relation {@code updates}, {@code extends} or {@code derives}
     * @param direction {@code outgoing} when the listed memory is the subject ("this updates {@code memoryId}"),
     *     {@code incoming} when it is the object ("{@code memoryId} updates this")
     */
    public record RelationView(String memoryId, String relation, String direction) {}
}
