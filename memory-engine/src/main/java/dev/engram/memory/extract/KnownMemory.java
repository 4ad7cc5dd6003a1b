package dev.engram.memory.extract;

import java.time.Instant;
import java.util.Objects;

/**
 * A memory that already exists in the container tag and looks similar to the source; an extractor may update, extend
 * or recognise it.
 *
 * @param ref the caller's key for this memory (its id, or a short key such as {@code m1}); unique within a request and
 *     echoed back in {@link MemoryOperation#knownRef()}. Extractors may show the LLM other, shorter ids.
 * @param memory the memory's text
 * @param isStatic whether it is a long-lived trait rather than an episode
 * @param updatedAt when it was last changed, or {@code null} when unknown
 */
public record KnownMemory(String ref, String memory, boolean isStatic, Instant updatedAt) {

    public KnownMemory {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("ref is required");
        }
        Objects.requireNonNull(memory, "memory");
    }
}
