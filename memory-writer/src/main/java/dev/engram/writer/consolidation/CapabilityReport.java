package dev.engram.writer.consolidation;

import dev.engram.writer.config.WriterConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Records at start, in {@code writer.capabilities}, whether this installation can run the LLM filter of
 * {@code shouldLLMFilter} (memory extraction on and an extraction LLM configured). ingest-service reads it to warn, in
 * {@code /v3/settings}, that the filter has no effect. Replicas are expected to share one configuration; the last one
 * to start is recorded.
 */
@ApplicationScoped
public class CapabilityReport {

    private static final Logger LOG = Logger.getLogger(CapabilityReport.class);

    /** The name ingest-service reads. */
    static final String LLM_FILTER = "llm_filter";

    @Inject
    WriterConfig config;

    @Inject
    LlmDocumentFilter filter;

    @Inject
    AgroalDataSource dataSource;

    void onStart(@Observes StartupEvent event) {
        boolean available;
        String detail;
        if (!config.extraction().enabled()) {
            available = false;
            detail = "memory extraction is disabled (writer.extraction.enabled=false)";
        } else if (!filter.available()) {
            available = false;
            detail = "no LLM configured (writer.extraction.llm.base-url and writer.extraction.llm.model)";
        } else {
            available = true;
            detail = "model " + filter.model().orElse("?");
        }
        try {
            report(LLM_FILTER, available, detail);
        } catch (SQLException e) {
            // Only the warnings of /v3/settings depend on it; they then say the capability is unknown.
            LOG.warnf("could not record memory-writer's capabilities: %s", e.toString());
        }
    }

    private void report(String name, boolean available, String detail) throws SQLException {
        String sql = "insert into writer.capabilities (name, available, detail, reported_at) values (?, ?, ?, now())"
                + " on conflict (name) do update set available = excluded.available, detail = excluded.detail,"
                + " reported_at = excluded.reported_at";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            statement.setBoolean(2, available);
            statement.setString(3, detail);
            statement.executeUpdate();
        }
    }
}
