package dev.engram.ingest.documents;

import dev.engram.core.documents.DocumentSources;
import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.api.InvalidRequestException;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.api.UpdateDocumentRequest;
import dev.engram.ingest.conversations.ConversationDocuments;
import dev.engram.ingest.outbox.OutboxWriter;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentFileEntity;
import dev.engram.ingest.persistence.DocumentFileKey;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * Updates a document ({@code PATCH /v3/documents/{id}}). A new content or container tag is a new revision and is
 * processed again; a change of metadata, path, task type or customId alone is applied in place and only pushed to
 * the stored chunks and vectors (no re-extraction, no re-embedding).
 */
@ApplicationScoped
public class UpdateDocument {

    @Inject
    OutboxWriter outbox;

    @Inject
    Clock clock;

    public Uni<AddDocument.Added> update(String orgId, String idOrCustomId, UpdateDocumentRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with the fields to change is required");
        }
        String content =
                request.content() == null ? null : DocumentRequestValidator.content(request.content(), "content");
        // An empty deprecated tag list means no change here, not "move to the default tag".
        boolean noTags =
                request.containerTags() == null || request.containerTags().isEmpty();
        String tag = request.containerTag() == null && noTags
                ? null
                : DocumentRequestValidator.containerTag(request.containerTag(), request.containerTags(), "");
        String customId = DocumentRequestValidator.customId(request.customId(), "customId");
        Map<String, Object> metadata =
                request.metadata() == null ? null : DocumentRequestValidator.metadata(request.metadata(), "metadata");
        String filepath = DocumentRequestValidator.filepath(request.filepath(), "filepath");
        String taskType =
                request.taskType() == null ? null : DocumentRequestValidator.taskType(request.taskType(), "taskType");
        Map<String, String> trace = outbox.traceHeaders();

        return Panache.withTransaction(() -> FindDocument.entity(orgId, idOrCustomId)
                        .onItem()
                        .ifNull()
                        .failWith(() ->
                                new ResourceNotFoundException("No document with id or customId '" + idOrCustomId + "'"))
                        .flatMap(row -> {
                            if (ConversationDocuments.isConversation(row)) {
                                refuseConversationChange(row, content, tag);
                            }
                            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
                            boolean reprocess = (content != null && !content.equals(row.content))
                                    || (tag != null && !tag.equals(row.containerTag));
                            boolean changed = reprocess
                                    || (customId != null && !customId.equals(row.customId))
                                    || (metadata != null && !metadata.equals(row.metadata))
                                    || (filepath != null && !filepath.equals(row.filepath))
                                    || (taskType != null && !taskType.equals(row.taskType));
                            if (!changed) {
                                return Uni.createFrom()
                                        .item(new AddDocument.Added(row.id, DocumentStatus.fromWire(row.status)));
                            }
                            Uni<Boolean> dropFile = Uni.createFrom().item(false);
                            if (content != null && !content.equals(row.content)) {
                                if (DocumentSources.FILE.equals(row.source)) {
                                    dropFile = DocumentFileEntity.deleteById(new DocumentFileKey(row.orgId, row.id));
                                }
                                row.content = content;
                                row.source = DocumentSources.of(content);
                                row.contentType = null;
                                row.filename = null;
                            }
                            if (tag != null) {
                                row.containerTag = tag;
                            }
                            row.customId = customId != null ? customId : row.customId;
                            row.metadata = metadata != null ? metadata : row.metadata;
                            row.filepath = filepath != null ? filepath : row.filepath;
                            row.taskType = taskType != null ? taskType : row.taskType;
                            row.updatedAt = now;
                            DocumentOperation operation;
                            if (reprocess) {
                                row.revision += 1;
                                row.status = DocumentStatus.QUEUED.wireName();
                                row.statusReason = null;
                                row.chunkCount = null;
                                operation = DocumentOperation.UPSERT;
                            } else {
                                operation = DocumentOperation.METADATA;
                            }
                            var event = DocumentEvents.of(row, operation, null, now.toInstant());
                            Objects.requireNonNull(event);
                            return dropFile.flatMap(d -> outbox.append(Topics.DOCUMENTS, event, trace))
                                    .replaceWith(new AddDocument.Added(row.id, DocumentStatus.fromWire(row.status)));
                        }))
                .invoke(outbox::committed);
    }

    /**
     * A conversation's content is its transcript and its tag is part of its id: both change only through {@code POST
     * /v4/conversations}. Metadata, path, task type and customId may be patched.
     */
    private static void refuseConversationChange(DocumentEntity row, String content, String tag) {
        if (content != null && !content.equals(row.content)) {
            throw new InvalidRequestException(
                    "content", "a conversation's transcript changes only through POST /v4/conversations");
        }
        if (tag != null && !tag.equals(row.containerTag)) {
            throw new InvalidRequestException("containerTag", "a conversation cannot move to another container tag");
        }
    }
}
