package dev.engram.writer.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code writer.chunks} table. Blocking (JDBC): called from the pipeline's worker thread. */
@ApplicationScoped
public class ChunkStore {

    @Inject
    AgroalDataSource dataSource;

    /** The stored chunks of a document, in order. */
    public List<StoredChunk> chunksOf(String orgId, String documentId) throws SQLException {
        return chunksOf(orgId, List.of(documentId)).getOrDefault(documentId, List.of());
    }

    /** The stored chunks of several documents of one organisation, in order, by document id (one query). */
    public Map<String, List<StoredChunk>> chunksOf(String orgId, Collection<String> documentIds) throws SQLException {
        return byDocument(
                "select document_id, id, position, content, content_hash, token_count, model_id, embedding"
                        + " from writer.chunks where org_id = ? and document_id = any(?) order by document_id, position",
                orgId,
                documentIds,
                rows -> new StoredChunk(
                        rows.getString(2),
                        rows.getInt(3),
                        rows.getString(4),
                        rows.getString(5),
                        rows.getInt(6),
                        rows.getString(7),
                        floats(rows.getArray(8))));
    }

    /** The ids of the stored chunks of several documents of one organisation, by document id (one query). */
    public Map<String, List<String>> chunkIdsOf(String orgId, Collection<String> documentIds) throws SQLException {
        return byDocument(
                "select document_id, id from writer.chunks where org_id = ? and document_id = any(?)",
                orgId,
                documentIds,
                rows -> rows.getString(2));
    }

    /**
     * Runs {@code sql} (parameters: the organisation, the document ids; first column: the document id) and groups the
     * rows {@code read} makes by document, in the query's order.
     */
    private <T> Map<String, List<T>> byDocument(
            String sql, String orgId, Collection<String> documentIds, RowReader<T> read) throws SQLException {
        Map<String, List<T>> byDocument = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, orgId);
            select.setArray(2, connection.createArrayOf("text", documentIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byDocument
                            .computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(read.read(rows));
                }
            }
        }
        return byDocument;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Replaces the chunks of a document with {@code chunks}, in one transaction. */
    public void replace(String orgId, String documentId, String containerTag, long revision, List<StoredChunk> chunks)
            throws SQLException {
        replace(orgId, documentId, containerTag, revision, chunks, connection -> {});
    }

    /**
     * Replaces the chunks of a document with {@code chunks} and runs {@code alsoInTransaction} (e.g. queueing the
     * memory extraction the new chunks owe), all in one transaction.
     */
    public void replace(
            String orgId,
            String documentId,
            String containerTag,
            long revision,
            List<StoredChunk> chunks,
            InTransaction alsoInTransaction)
            throws SQLException {
        replaceAll(List.of(new Replacement(orgId, documentId, containerTag, revision, chunks, alsoInTransaction)));
    }

    /**
     * The chunks of one document, to replace those it has.
     *
     * @param alsoInTransaction run in the same transaction, after the chunks are written
     */
    public record Replacement(
            String orgId,
            String documentId,
            String containerTag,
            long revision,
            List<StoredChunk> chunks,
            InTransaction alsoInTransaction) {}

    /**
     * Replaces the chunks of several documents and runs each one's {@code alsoInTransaction} in order, all in one
     * transaction: one delete per organisation and one batch of inserts, instead of a transaction (and a flush of the
     * write-ahead log) per document. A document listed twice ends with the chunks of its last replacement, as if they
     * had been applied one after the other.
     */
    public void replaceAll(List<Replacement> replacements) throws SQLException {
        if (replacements.isEmpty()) {
            return;
        }
        Map<DocumentKey, Replacement> last = new LinkedHashMap<>();
        for (Replacement replacement : replacements) {
            DocumentKey key = new DocumentKey(replacement.orgId(), replacement.documentId());
            last.remove(key); // so the map keeps the order of each document's last replacement
            last.put(key, replacement);
        }
        Map<String, List<String>> documentsByOrg = new LinkedHashMap<>();
        last.keySet()
                .forEach(key -> documentsByOrg
                        .computeIfAbsent(key.orgId(), org -> new ArrayList<>())
                        .add(key.documentId()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Map.Entry<String, List<String>> org : documentsByOrg.entrySet()) {
                    deleteAll(connection, org.getKey(), org.getValue());
                }
                String sql = "insert into writer.chunks (org_id, id, document_id, container_tag, position, content,"
                        + " content_hash, token_count, model_id, embedding, revision) values (?,?,?,?,?,?,?,?,?,?,?)";
                try (PreparedStatement insert = connection.prepareStatement(sql)) {
                    for (Replacement replacement : last.values()) {
                        for (StoredChunk chunk : replacement.chunks()) {
                            insert.setString(1, replacement.orgId());
                            insert.setString(2, chunk.id());
                            insert.setString(3, replacement.documentId());
                            insert.setString(4, replacement.containerTag());
                            insert.setInt(5, chunk.position());
                            insert.setString(6, chunk.content());
                            insert.setString(7, chunk.contentHash());
                            insert.setInt(8, chunk.tokenCount());
                            insert.setString(9, chunk.modelId());
                            insert.setArray(10, connection.createArrayOf("real", boxed(chunk.embedding())));
                            insert.setLong(11, replacement.revision());
                            insert.addBatch();
                        }
                    }
                    insert.executeBatch();
                }
                for (Replacement replacement : replacements) {
                    replacement.alsoInTransaction().run(connection);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private record DocumentKey(String orgId, String documentId) {}

    private static void deleteAll(Connection connection, String orgId, Collection<String> documentIds)
            throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("delete from writer.chunks where org_id = ? and document_id = any(?)")) {
            delete.setString(1, orgId);
            delete.setArray(2, connection.createArrayOf("text", documentIds.toArray()));
            delete.executeUpdate();
        }
    }

    /** Deletes every chunk of a document; returns how many there were. */
    public int deleteDocument(String orgId, String documentId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return delete(connection, orgId, documentId);
        }
    }

    private static int delete(Connection connection, String orgId, String documentId) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("delete from writer.chunks where org_id = ? and document_id = ?")) {
            delete.setString(1, orgId);
            delete.setString(2, documentId);
            return delete.executeUpdate();
        }
    }

    private static Float[] boxed(float[] vector) {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return boxed;
    }

    private static float[] floats(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        float[] vector = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            vector[i] = ((Number) values[i]).floatValue();
        }
        return vector;
    }

    /** Work that joins a chunk store transaction. */
    @FunctionalInterface
    public interface InTransaction {
        void run(Connection connection) throws SQLException;
    }
}
