package dev.engram.writer.consolidation;

import dev.engram.core.events.ConversationMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Memory extraction owed for one revision of one document.
 *
 * @param orgId owning organisation
 * @param documentId the document whose content the memories come from
 * @param revision the revision that was indexed
 * @param containerTag the scope of the memories
 * @param kind where the source text is
 * @param turns for {@link Kind#CONVERSATION}: the turns not extracted before, each with its position in the
 *     conversation; empty for documents (their chunks are read)
 * @param documentDate the date relative dates are resolved against when a turn has none
 * @param entityContext the container tag's entity context, or {@code null}
 * @param metadata the document's metadata, copied to its memories
 * @param attempts how many times the job was claimed, this claim included
 */
public record ExtractionJob(
        String orgId,
        String documentId,
        long revision,
        String containerTag,
        Kind kind,
        List<Turn> turns,
        Instant documentDate,
        String entityContext,
        Map<String, Object> metadata,
        int attempts) {

    public ExtractionJob {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(documentDate, "documentDate");
        turns = turns == null ? List.of() : List.copyOf(turns);
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** This job guided by {@code context} instead. */
    public ExtractionJob withEntityContext(String context) {
        return new ExtractionJob(
                orgId, documentId, revision, containerTag, kind, turns, documentDate, context, metadata, attempts);
    }

    /** Where a job's source text is. */
    public enum Kind {
        /** The chunks of the document's revision. */
        DOCUMENT,
        /** The new turns carried by the job. */
        CONVERSATION;

        /** The value stored in the {@code kind} column. */
        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind ofColumn(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * One conversation turn to extract from.
     *
     * @param position the turn's index in the conversation (0 = first), its provenance reference
     * @param message the turn
     */
    public record Turn(int position, ConversationMessage message) {}
}
