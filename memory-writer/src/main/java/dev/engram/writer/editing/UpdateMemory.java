package dev.engram.writer.editing;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemoryChanges;
import dev.engram.writer.memories.MemoryWrites;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * {@code PATCH /v4/memories}: a new version of a memory. Only the latest version of a chain that does not count as
 * forgotten can be updated; the others answer with a conflict naming the reason (and the latest version's id).
 */
@ApplicationScoped
public class UpdateMemory {

    @Inject
    MemoryWrites writes;

    @Inject
    TextEmbedder embedder;

    /**
     * @return the new version
     * @throws dev.engram.writer.memories.MemoryNotFoundException if the target is not a memory of the tag
     * @throws dev.engram.writer.memories.MemoryConflictException if it is an old version or forgotten
     */
    @WithSpan("UpdateMemory.update")
    public Memory update(
            String orgId,
            @SpanAttribute("engram.container_tag") String containerTag,
            MemoryTarget target,
            String newContent,
            MemoryChanges changes) {
        float[] embedding = embedder.embed(List.of(newContent)).get(0);
        return writes.inTag(
                orgId,
                containerTag,
                session -> session.newVersion(target.forUpdate(session), newContent, changes.withEmbedding(embedding)));
    }
}
