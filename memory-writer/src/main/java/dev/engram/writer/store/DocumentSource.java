package dev.engram.writer.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Read-only access to what ingest-service owns and the pipeline needs: whether a document still exists at the
 * revision being processed (so work on a deleted or superseded document stops early), and uploaded file bytes.
 */
@ApplicationScoped
public class DocumentSource {

    @Inject
    AgroalDataSource dataSource;

    /**
     * Which of these revisions should still be processed: the current revision of a document ingest-service knows,
     * and any revision of a document it does not know (published straight to Kafka by another producer) unless a
     * tombstone says it was deleted. One query for the whole list.
     */
    public Set<Revision> live(List<Revision> revisions) throws SQLException {
        String sql = "select k.org, k.id, k.rev from unnest(?::text[], ?::text[], ?::bigint[]) as k(org, id, rev)"
                + " left join ingest.documents d on d.org_id = k.org and d.id = k.id"
                + " where case when d.id is not null then d.revision <= k.rev"
                + " else not exists (select 1 from ingest.document_tombstones t"
                + " where t.org_id = k.org and t.id = k.id and t.revision >= k.rev) end";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(
                    1,
                    connection.createArrayOf(
                            "text", revisions.stream().map(Revision::orgId).toArray()));
            select.setArray(
                    2,
                    connection.createArrayOf(
                            "text", revisions.stream().map(Revision::documentId).toArray()));
            select.setArray(
                    3,
                    connection.createArrayOf(
                            "bigint", revisions.stream().map(Revision::revision).toArray()));
            Set<Revision> live = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    live.add(new Revision(rows.getString(1), rows.getString(2), rows.getLong(3)));
                }
            }
            return live;
        }
    }

    /**
     * Whether a document still exists: ingest-service knows it, or it does not but no tombstone says it was deleted
     * (a document published straight to Kafka whose row is not there yet).
     */
    public boolean exists(String orgId, String documentId) throws SQLException {
        String sql = "select exists (select 1 from ingest.documents where org_id = ? and id = ?)"
                + " or not exists (select 1 from ingest.document_tombstones where org_id = ? and id = ?)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, orgId);
            select.setString(2, documentId);
            select.setString(3, orgId);
            select.setString(4, documentId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The entity context ingest-service keeps for a container tag (the last one given for it), if any. */
    public Optional<String> entityContext(String orgId, String containerTag) throws SQLException {
        String sql = "select entity_context from ingest.container_tags where org_id = ? and tag = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, orgId);
            select.setString(2, containerTag);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * One revision of one document.
     *
     * @param orgId owning organisation
     * @param documentId the document
     * @param revision the revision an event describes
     */
    public record Revision(String orgId, String documentId, long revision) {}

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
