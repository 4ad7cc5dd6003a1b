package dev.engram.ingest.documents;

import dev.engram.ingest.api.DocumentResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Adds the state of a document's memory extraction to its response. memory-writer owns the extraction queue
 * ({@code writer.extraction_jobs}); this service only reads the job of the document's current revision.
 */
@ApplicationScoped
public class MemoryExtractionStatus {

    private static final Logger LOG = Logger.getLogger(MemoryExtractionStatus.class);
    /** PostgreSQL's undefined_table: memory-writer has not created its schema yet. */
    private static final String UNDEFINED_TABLE = "42P01";

    @Inject
    Pool client;

    /** {@code document} with {@code memoryStatus} (and its reason) filled in. */
    public Uni<DocumentResponse> addTo(String orgId, DocumentResponse document) {
        String sql = "select j.status, j.reason from ingest.documents d join writer.extraction_jobs j"
                + " on j.org_id = d.org_id and j.document_id = d.id and j.revision = d.revision"
                + " where d.org_id = $1 and d.id = $2";
        return client.preparedQuery(sql)
                .execute(Tuple.of(orgId, document.id()))
                .map(rows -> {
                    for (Row row : rows) {
                        return document.withMemoryStatus(row.getString("status"), row.getString("reason"));
                    }
                    return document.withMemoryStatus(withoutJob(document.status()), null);
                })
                .onFailure(e -> e instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState()))
                .recoverWithItem(e -> {
                    LOG.debug("memory-writer's extraction queue does not exist yet");
                    return document;
                });
    }

    /**
     * A revision without a job: still on its way to one while the document is processed; once the document is done
     * or failed, there was nothing to extract.
     */
    static String withoutJob(String documentStatus) {
        return "done".equals(documentStatus) || "failed".equals(documentStatus) ? "none" : "pending";
    }
}
