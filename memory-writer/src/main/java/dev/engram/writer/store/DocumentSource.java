package dev.engram.writer.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Read-only access to what ingest-service owns and the pipeline needs: whether a document still exists at the
 * revision being processed (so work on a deleted or superseded document stops early), and uploaded file bytes.
 */
@ApplicationScoped
public class DocumentSource {

    @Inject
    AgroalDataSource dataSource;

    /** The document's current revision, or empty if it no longer exists. */
    public OptionalLong currentRevision(String orgId, String documentId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select revision from ingest.documents where org_id = ? and id = ?")) {
            select.setString(1, orgId);
            select.setString(2, documentId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
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
