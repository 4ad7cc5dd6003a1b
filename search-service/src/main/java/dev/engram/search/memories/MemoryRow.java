package dev.engram.search.memories;

import java.time.Instant;
import java.util.Map;

/** A row of {@code writer.memories}, as search needs it. */
record MemoryRow(
        String id,
        String memory,
        Map<String, Object> metadata,
        int version,
        String rootMemoryId,
        boolean isLatest,
        boolean isForgotten,
        Instant forgetAfter,
        Instant createdAt,
        Instant updatedAt,
        boolean isStatic,
        boolean isInference) {

    /** Forgotten, or past its {@code forgetAfter}. */
    boolean forgottenAt(Instant now) {
        return isForgotten || (forgetAfter != null && !forgetAfter.isAfter(now));
    }
}
