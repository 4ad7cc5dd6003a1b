package dev.engram.writer.consolidation;

import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.DocumentEvent;
import dev.engram.writer.config.WriterConfig;
import dev.engram.writer.memories.MemoryWrites;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Decides what memory extraction an indexed document owes and queues it in the chunks' transaction: every revision
 * of an ordinary document, the new turns of a conversation, nothing for a document that records memories created
 * directly or asked only for retrieval ({@code taskType: superrag}).
 */
@ApplicationScoped
public class MemoryJobPlanner {

    /** Metadata keys read, in order, as the date a document was written. */
    private static final List<String> DATE_KEYS = List.of("documentDate", "date");

    @Inject
    WriterConfig config;

    @Inject
    ExtractionJobs jobs;

    @Inject
    ConversationProgress progress;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MemoryWrites writes;

    /**
     * Queues the extraction owed for a document revision whose chunks are being stored on {@code connection}.
     *
     * @param event the document (for a conversation: its transcript)
     * @param conversation the conversation the document was made from, or {@code null}
     */
    public void queue(Connection connection, DocumentEvent event, ConversationEvent conversation) throws SQLException {
        if (!config.extraction().enabled()) {
            return;
        }
        if (conversation != null) {
            List<ExtractionJob.Turn> turns =
                    progress.takeNewTurns(connection, event.orgId(), event.documentId(), conversation.messages());
            if (!turns.isEmpty()) {
                jobs.enqueue(
                        connection,
                        new ExtractionJob(
                                event.orgId(),
                                event.documentId(),
                                event.revision(),
                                event.containerTag(),
                                ExtractionJob.Kind.CONVERSATION,
                                turns,
                                conversation.occurredAt(),
                                conversation.entityContext(),
                                conversation.metadata(),
                                0));
            }
            return;
        }
        if (event.recordsDirectMemories() || "superrag".equals(event.taskType())) {
            return;
        }
        jobs.enqueue(
                connection,
                new ExtractionJob(
                        event.orgId(),
                        event.documentId(),
                        event.revision(),
                        event.containerTag(),
                        ExtractionJob.Kind.DOCUMENT,
                        List.of(),
                        documentDate(event),
                        event.entityContext(),
                        event.metadata(),
                        0));
    }

    /**
     * Stops the extraction of a deleted document, forgets how far its conversation was read, and forgets the
     * memories that came from it alone (softly, with the reason; memories also seen elsewhere stay).
     *
     * @return how many memories were forgotten
     */
    public int documentDeleted(String orgId, String containerTag, String documentId) throws SQLException {
        jobs.cancelDocument(orgId, documentId);
        try (Connection connection = dataSource.getConnection()) {
            progress.forget(connection, orgId, documentId);
        }
        return writes.inTag(
                        orgId,
                        containerTag,
                        session -> session.forgetOnlySourcedBy(documentId, "source document deleted"))
                .size();
    }

    /** The document's own date from its metadata ({@code documentDate} or {@code date}, ISO-8601), else when it was accepted. */
    static Instant documentDate(DocumentEvent event) {
        for (String key : DATE_KEYS) {
            if (event.metadata().get(key) instanceof String text) {
                Instant parsed = parseDate(text.strip());
                if (parsed != null) {
                    return parsed;
                }
            }
        }
        return event.occurredAt();
    }

    private static Instant parseDate(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notALocalDateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notADate) {
                    return null;
                }
            }
        }
    }
}
