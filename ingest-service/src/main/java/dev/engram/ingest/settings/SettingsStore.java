package dev.engram.ingest.settings;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and changes {@code ingest.org_settings}, one row per organisation that changed a setting. memory-writer reads
 * the same table (chunk size and LLM filter) when it processes the organisation's documents.
 */
@ApplicationScoped
public class SettingsStore {

    private static final String COLUMNS = "chunk_size, should_llm_filter, filter_prompt, include_items::text,"
            + " exclude_items::text, connectors::text";

    /** What an update did. */
    public record Change(OrgSettings before, OrgSettings after) {}

    @Inject
    Pool client;

    /** The organisation's settings (the defaults when it never changed any). */
    public Uni<OrgSettings> get(String orgId) {
        return client.preparedQuery("select " + COLUMNS + " from ingest.org_settings where org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    for (Row row : rows) {
                        return read(row);
                    }
                    return OrgSettings.DEFAULTS;
                });
    }

    /** The organisation's slug, or {@code null} if it is unknown. */
    public Uni<String> slug(String orgId) {
        return client.preparedQuery("select slug from ingest.orgs where id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    for (Row row : rows) {
                        return row.getString("slug");
                    }
                    return null;
                });
    }

    /**
     * Applies already checked {@code changes} (see {@link SettingsFields#changes}) in one transaction, the row locked
     * so concurrent updates of different fields both survive.
     */
    public Uni<Change> update(String orgId, Map<String, Object> changes) {
        return client.withTransaction(tx -> tx.preparedQuery(
                        "insert into ingest.org_settings (org_id) values ($1) on conflict do nothing")
                .execute(Tuple.of(orgId))
                .flatMap(inserted -> tx.preparedQuery(
                                "select " + COLUMNS + " from ingest.org_settings where org_id = $1 for update")
                        .execute(Tuple.of(orgId)))
                .flatMap(rows -> {
                    OrgSettings before = read(rows.iterator().next());
                    OrgSettings after = SettingsFields.apply(before, changes);
                    return write(tx, orgId, after).replaceWith(new Change(before, after));
                }));
    }

    /** JSON goes in as text and is cast ({@code $n::text::jsonb}): a string bound to jsonb would be a JSON string. */
    private static Uni<Void> write(SqlClient sql, String orgId, OrgSettings settings) {
        Tuple values = Tuple.tuple()
                .addString(orgId)
                .addInteger(settings.chunkSize())
                .addBoolean(settings.shouldLlmFilter())
                .addString(settings.filterPrompt())
                .addString(settings.includeItems() == null ? null : SettingsFields.json(settings.includeItems()))
                .addString(settings.excludeItems() == null ? null : SettingsFields.json(settings.excludeItems()))
                .addString(SettingsFields.json(settings.connectors()));
        return sql.preparedQuery("update ingest.org_settings set chunk_size = $2, should_llm_filter = $3,"
                        + " filter_prompt = $4, include_items = $5::text::jsonb, exclude_items = $6::text::jsonb,"
                        + " connectors = $7::text::jsonb, updated_at = now() where org_id = $1")
                .execute(values)
                .replaceWithVoid();
    }

    @SuppressWarnings("unchecked")
    private static OrgSettings read(Row row) {
        Object connectors = SettingsFields.parse(row.getString(5));
        return new OrgSettings(
                row.getInteger(0),
                Boolean.TRUE.equals(row.getBoolean(1)),
                row.getString(2),
                SettingsFields.parse(row.getString(3)),
                SettingsFields.parse(row.getString(4)),
                connectors instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>());
    }
}
