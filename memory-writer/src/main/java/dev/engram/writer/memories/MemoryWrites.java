package dev.engram.writer.memories;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorStore;
import dev.engram.writer.store.MemoryStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The one way memories are written, by the HTTP API and by the consolidation of extracted memories alike.
 *
 * <p>Every write runs in {@link #inTag}: one PostgreSQL transaction holding the tag's {@link TagLock}, so the writes
 * of one container tag never interleave. Before the commit, the points of every memory the transaction changed are
 * rewritten in the vector store and the store is committed, so when a write returns, a search or a following write
 * sees it. If the database commit then fails, the points are put back in line with the committed rows.
 *
 * <p>The single-operation methods below are shorthands for one {@link TagSession} call in its own transaction; a
 * caller that decides several changes together (e.g. a batch of extracted facts) uses {@link #inTag} directly.
 * Writes with idempotency keys are safe to repeat.
 *
 * @see TagSession
 */
@ApplicationScoped
public class MemoryWrites {

    private static final Logger LOG = Logger.getLogger(MemoryWrites.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MemoryStore store;

    @Inject
    MemoryIndexer indexer;

    @Inject
    VectorStore vectors;

    @Inject
    TextEmbedder embedder;

    @Inject
    Clock clock;

    /** Work done in a {@link TagSession}. */
    @FunctionalInterface
    public interface TagWork<T> {
        T apply(TagSession session) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction holding the lock of ({@code orgId}, {@code containerTag}), indexes what
     * it changed and commits. Blocking: call it from a worker thread.
     *
     * @return what {@code work} returned
     * @throws MemoryStorageException if PostgreSQL fails (nothing was committed)
     * @throws MemoryNotFoundException as thrown by {@code work} (nothing was committed)
     * @throws MemoryConflictException as thrown by {@code work} (nothing was committed)
     */
    public <T> T inTag(String orgId, String containerTag, TagWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            TagSession session = null;
            boolean indexed = false;
            try {
                TagLock.lock(connection, orgId, containerTag);
                session = new TagSession(connection, orgId, containerTag, now(), store, embedder);
                T result = work.apply(session);
                Set<String> touched = session.touched();
                if (!touched.isEmpty()) {
                    indexed = true;
                    indexer.index(connection, orgId, touched);
                    vectors.commit(VectorKind.MEMORIES);
                }
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                if (indexed) {
                    resync(orgId, session.touched());
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new MemoryStorageException("memory write in container tag " + containerTag + " failed", e);
        }
    }

    /**
     * Creates memories (each version 1 of its own chain).
     *
     * @param sourceDocumentId the document they were observed in, or {@code null}
     * @param sourceRef where in that document, or {@code null}
     * @see TagSession#create
     */
    public List<Memory> create(
            String orgId, String containerTag, List<NewMemory> memories, String sourceDocumentId, String sourceRef) {
        return inTag(orgId, containerTag, session -> session.create(memories, source(sourceDocumentId, sourceRef)));
    }

    /**
     * Stores a new version of {@code existing} that {@code updates} it.
     *
     * @see TagSession#newVersion
     */
    public Memory newVersion(Memory existing, String newContent, MemoryChanges changes) {
        return inTag(
                existing.orgId(),
                existing.containerTag(),
                session -> session.newVersion(existing, newContent, changes));
    }

    /**
     * Creates a memory that {@code extends} {@code existing}.
     *
     * @see TagSession#extend
     */
    public Memory extend(Memory existing, NewMemory extension, String sourceDocumentId, String sourceRef) {
        return inTag(
                existing.orgId(),
                existing.containerTag(),
                session -> session.extend(existing, extension, source(sourceDocumentId, sourceRef)));
    }

    /**
     * Creates a memory inferred from {@code from} (all of one tag).
     *
     * @see TagSession#derive
     */
    public Memory derive(List<Memory> from, NewMemory inference, String sourceDocumentId, String sourceRef) {
        Memory first = from.get(0);
        return inTag(
                first.orgId(),
                first.containerTag(),
                session -> session.derive(from, inference, source(sourceDocumentId, sourceRef)));
    }

    /**
     * Records another observation of {@code existing} in a document.
     *
     * @return whether it was new (the same document again changes nothing)
     * @see TagSession#recordDuplicate
     */
    public boolean recordDuplicate(Memory existing, String documentId, String sourceRef) {
        return inTag(
                existing.orgId(),
                existing.containerTag(),
                session -> session.recordDuplicate(existing, new MemorySource(documentId, sourceRef)));
    }

    /**
     * Forgets a memory.
     *
     * @return {@code false} if it already counted as forgotten
     * @see TagSession#forget
     */
    public boolean forget(Memory existing, String reason) {
        return inTag(existing.orgId(), existing.containerTag(), session -> session.forget(existing, reason));
    }

    private Instant now() {
        // Millisecond precision: what the API shows and the vector attributes store is exactly what the row holds.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static MemorySource source(String documentId, String sourceRef) {
        return documentId == null ? null : new MemorySource(documentId, sourceRef);
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed (the connection is closed anyway)", e);
        }
    }

    /** The vector writes went through but the rows did not: make the points match the committed rows again. */
    private void resync(String orgId, Set<String> ids) {
        try (Connection connection = dataSource.getConnection()) {
            indexer.resync(connection, orgId, ids);
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "%d memory point(s) may not match their rows after a failed commit", ids.size());
        }
    }
}
