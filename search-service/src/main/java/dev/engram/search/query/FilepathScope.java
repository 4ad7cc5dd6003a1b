package dev.engram.search.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code filepath} filter of the searches, as the SDK documents it: "exact match for full paths, prefix match if
 * ending with /" (and as {@code POST /v3/documents/list} and bulk delete apply it in ingest-service: a literal prefix,
 * no wildcards).
 *
 * <p>The filter is resolved to the ids of the matching documents in one query on {@code ingest.documents} (the truth
 * for a document's path, and indexed by organisation), and those ids become the search's {@code documentIds} scope, so
 * the filter is still applied inside the index (a pre-filter: {@code limit} results come back when they exist). Chunk
 * points carry their document's id; memory points carry the id of their first source document.
 */
@ApplicationScoped
public class FilepathScope {

    @Inject
    DataSource dataSource;

    /** Whether {@code filepath} selects every path under it rather than one path. */
    public static boolean isPrefix(String filepath) {
        return filepath.endsWith("/");
    }

    /**
     * The {@code documentIds} scope of a search: {@code documentIds} (empty: all documents) narrowed to the documents
     * whose path matches {@code filepath} (no narrowing when {@code filepath} is {@code null}); empty when no document
     * can match, and the search should not ask the index at all.
     */
    public Optional<List<String>> scope(
            String orgId, List<String> containerTags, List<String> documentIds, String filepath) {
        if (filepath == null) {
            return Optional.of(documentIds);
        }
        List<String> matching = documentIds(orgId, containerTags, filepath);
        if (!documentIds.isEmpty()) {
            matching = matching.stream().filter(documentIds::contains).toList();
        }
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching);
    }

    /**
     * The ids of the documents of the organisation, within {@code containerTags} (empty: all), whose path matches
     * {@code filepath}; empty when none does.
     */
    public List<String> documentIds(String orgId, List<String> containerTags, String filepath) {
        String sql = "select id from ingest.documents where org_id = ?"
                + (isPrefix(filepath) ? " and starts_with(filepath, ?)" : " and filepath = ?")
                + (containerTags.isEmpty() ? "" : " and container_tag = any(?)");
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, orgId);
            statement.setString(2, filepath);
            if (!containerTags.isEmpty()) {
                statement.setArray(3, connection.createArrayOf("text", containerTags.toArray(String[]::new)));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new SearchStorageException("reading documents by filepath failed", e);
        }
        return ids;
    }
}
