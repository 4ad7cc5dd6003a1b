package dev.engram.writer.editing;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.kafka.Topics;
import dev.engram.outbox.OutboxRelay;
import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemorySource;
import dev.engram.writer.memories.MemoryWrites;
import dev.engram.writer.memories.NewMemory;
import dev.engram.writer.outbox.WriterOutbox;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code POST /v4/memories}: stores memories given directly, with the light source document that records where they
 * came from. The document gets its id now and is recorded as the memories' source; its event (text = the memories,
 * one per line, origin {@link DocumentEvent#ORIGIN_MEMORIES}) is written to the outbox in the same transaction, so
 * ingest-service lists it and the pipeline indexes it, without extracting memories from it again.
 */
@ApplicationScoped
public class CreateMemories {

    @Inject
    OutboxRelay relay;

    @Inject
    MemoryWrites writes;

    @Inject
    TextEmbedder embedder;

    @Inject
    WriterOutbox outbox;

    /**
     * The stored memories and their source document.
     *
     * @param documentId the light source document's id
     * @param memories the memories, in the order given
     */
    public record Created(String documentId, List<Memory> memories) {}

    /** Embeds (before taking the tag's lock), stores, indexes and commits the memories and the document event. */
    @WithSpan("CreateMemories.create")
    public Created create(
            String orgId, @SpanAttribute("engram.container_tag") String containerTag, List<NewMemory> memories) {
        List<float[]> vectors =
                embedder.embed(memories.stream().map(NewMemory::content).toList());
        List<NewMemory> embedded = new ArrayList<>(memories.size());
        for (int i = 0; i < memories.size(); i++) {
            embedded.add(memories.get(i).withEmbedding(vectors.get(i)));
        }
        String documentId = DocumentIds.next();
        Map<String, String> headers = outbox.traceHeaders();
        List<Memory> created = writes.inTag(orgId, containerTag, session -> {
            List<Memory> stored = session.create(embedded, MemorySource.document(documentId));
            DocumentEvent event = new DocumentEvent(
                    UUID.randomUUID().toString(),
                    session.now(),
                    DocumentEvent.SCHEMA_VERSION,
                    containerTag,
                    orgId,
                    documentId,
                    1,
                    null,
                    stored.stream().map(Memory::memory).collect(Collectors.joining("\n")),
                    Map.of(),
                    DocumentOperation.UPSERT,
                    "text",
                    null,
                    null,
                    null,
                    null,
                    null,
                    DocumentEvent.ORIGIN_MEMORIES);
            outbox.append(session.connection(), Topics.DOCUMENTS, event, headers);
            return stored;
        });
        relay.wakeUp();
        return new Created(documentId, created);
    }
}
