package dev.engram.writer.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Read-only access to what ingest-service owns and the pipeline needs: whether a document still exists at the
 * revision being processed (so work on a deleted or superseded document stops early), and uploaded file bytes.
 */
@ApplicationScoped
public class DocumentSource {

    @Inject
    AgroalDataSource dataSource;

    /**
     * Whether a revision of a document should still be processed: yes if it is the current one, or if ingest-service
     * does not know the document at all (it was published straight to Kafka by another producer); no if a newer
     * revision exists or the document was deleted (its tombstone says so).
     */
    public boolean isLive(String orgId, String documentId, long revision) throws SQLException {
        String sql = "select (select revision from ingest.documents where org_id = ? and id = ?),"
                + " exists (select 1 from ingest.document_tombstones where org_id = ? and id = ? and revision >= ?)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, orgId);
            select.setString(2, documentId);
            select.setString(3, orgId);
            select.setString(4, documentId);
            select.setLong(5, revision);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long current = row.getLong(1);
                boolean known = !row.wasNull();
                boolean deleted = row.getBoolean(2);
                return known ? current <= revision : !deleted;
            }
        }
    }

    /** The uploaded file of a document, if there is one. */
    public Optional<StoredFile> file(String orgId, String documentId) throws SQLException {
        String sql =
                "select content_type, filename, bytes from ingest.document_files where org_id = ? and document_id = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, orgId);
            select.setString(2, documentId);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new StoredFile(row.getString(1), row.getString(2), row.getBytes(3)))
                        : Optional.empty();
            }
        }
    }

    /**
     * An uploaded file.
     *
     * @param contentType the type ingest-service detected
     * @param filename the client's file name, or {@code null}
     * @param bytes the content
     */
    public record StoredFile(String contentType, String filename, byte[] bytes) {}
}
