package dev.engram.ingest.settings;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What memory-writer reported it can do ({@code writer.capabilities}, written by memory-writer at start; read only
 * here): whether the LLM filter of {@code shouldLLMFilter} can run, i.e. whether an extraction LLM is configured.
 */
@ApplicationScoped
public class WriterCapabilities {

    /** PostgreSQL's undefined_table: memory-writer has not created its schema yet. */
    private static final String UNDEFINED_TABLE = "42P01";

    /** The name memory-writer reports the LLM filter under. */
    static final String LLM_FILTER = "llm_filter";

    /**
     * What memory-writer said about a capability.
     *
     * @param known whether it reported at all
     * @param available whether it can
     * @param detail why not, or what it uses
     */
    public record Capability(boolean known, boolean available, String detail) {
        static final Capability UNKNOWN = new Capability(false, false, null);
    }

    @Inject
    Pool client;

    /** Whether memory-writer can run the LLM filter. */
    public Uni<Capability> llmFilter() {
        return client.preparedQuery("select available, detail from writer.capabilities where name = $1")
                .execute(Tuple.of(LLM_FILTER))
                .map(rows -> {
                    for (Row row : rows) {
                        return new Capability(true, Boolean.TRUE.equals(row.getBoolean(0)), row.getString(1));
                    }
                    return Capability.UNKNOWN;
                })
                .onFailure(e -> e instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState()))
                .recoverWithItem(Capability.UNKNOWN);
    }
}
