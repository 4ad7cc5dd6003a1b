package dev.engram.writer.editing;

import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemoryConflictException;
import dev.engram.writer.memories.MemoryWrites;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code DELETE /v4/memories}: forgets one memory, softly (the row stays as history, marked forgotten). */
@ApplicationScoped
public class ForgetMemory {

    @Inject
    MemoryWrites writes;

    /**
     * @param reason why, or {@code null}
     * @return the memory as it was before
     * @throws dev.engram.writer.memories.MemoryNotFoundException if the target is not a memory of the tag
     * @throws MemoryConflictException if it already counts as forgotten
     */
    @WithSpan("ForgetMemory.forget")
    public Memory forget(
            String orgId,
            @SpanAttribute("engram.container_tag") String containerTag,
            MemoryTarget target,
            String reason) {
        return writes.inTag(orgId, containerTag, session -> {
            Memory memory = target.forForget(session);
            if (!session.forget(memory, reason)) {
                throw new MemoryConflictException("Memory " + memory.id() + " is already forgotten.");
            }
            return memory;
        });
    }
}
