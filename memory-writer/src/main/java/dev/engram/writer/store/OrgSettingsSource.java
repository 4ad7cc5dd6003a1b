package dev.engram.writer.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Read-only access to the organisation settings ingest-service owns ({@code ingest.org_settings}, changed through
 * {@code PATCH /v3/settings}) that change the pipeline: the chunk size and the LLM filter. Read when a document is
 * processed, never cached, so a change applies to the next document processed. An organisation without a row, or an
 * ingest schema without the table yet (ingest-service not migrated), has the defaults.
 */
@ApplicationScoped
public class OrgSettingsSource {

    private static final Logger LOG = Logger.getLogger(OrgSettingsSource.class);

    /** PostgreSQL's undefined_table. */
    private static final String UNDEFINED_TABLE = "42P01";

    /**
     * What the pipeline takes from an organisation's settings.
     *
     * @param chunkSize largest chunk in model tokens, or {@code null} for {@code writer.chunking.max-tokens}
     * @param llmFilter whether documents are judged by the LLM before memories are extracted from them
     * @param filterPrompt what the organisation keeps, in its words; {@code null} when none was given
     */
    public record PipelineSettings(Integer chunkSize, boolean llmFilter, String filterPrompt) {

        /** An organisation that changed nothing. */
        public static final PipelineSettings DEFAULTS = new PipelineSettings(null, false, null);
    }

    @Inject
    AgroalDataSource dataSource;

    /** The settings of each of {@code orgIds} (one query); organisations without settings are absent. */
    public Map<String, PipelineSettings> of(Collection<String> orgIds) throws SQLException {
        Map<String, PipelineSettings> found = new HashMap<>();
        if (orgIds.isEmpty()) {
            return found;
        }
        String sql = "select org_id, chunk_size, should_llm_filter, filter_prompt from ingest.org_settings"
                + " where org_id = any(?)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("text", orgIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int size = rows.getInt(2);
                    Integer chunkSize = rows.wasNull() ? null : size; // before the next column is read
                    found.put(
                            rows.getString(1), new PipelineSettings(chunkSize, rows.getBoolean(3), rows.getString(4)));
                }
            }
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            LOG.debug("ingest.org_settings does not exist yet: every organisation has the default settings");
        }
        return found;
    }

    /** The settings of one organisation. */
    public PipelineSettings of(String orgId) throws SQLException {
        return of(java.util.List.of(orgId)).getOrDefault(orgId, PipelineSettings.DEFAULTS);
    }
}
