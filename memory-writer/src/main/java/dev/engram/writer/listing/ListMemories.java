package dev.engram.writer.listing;

import dev.engram.core.filters.MetadataFilterSql;
import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemoryRelation;
import dev.engram.writer.memories.MemoryStorageException;
import dev.engram.writer.store.MemoryStore;
import dev.engram.writer.store.MemoryStore.StoredRelation;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lists memories a page at a time, each with its history (the older versions of its chain, newest first), its
 * relations and its source documents. The tag, state and metadata filters run inside PostgreSQL, so pages and totals
 * are exact. A memory whose {@code forgetAfter} has passed counts as forgotten, swept or not.
 */
@ApplicationScoped
public class ListMemories {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MemoryStore store;

    @Inject
    Clock clock;

    /** A listed memory with what the list shows around it. */
    public record Entry(Memory memory, List<Memory> history, List<Relation> relations, List<String> documentIds) {}

    /**
     * One relation as seen from a listed memory.
     *
     * @param memoryId the other memory
     * @param relation the relation
     * @param outgoing {@code true} when the listed memory is the subject ("this updates {@code memoryId}"), {@code
     *     false} when it is the object ("{@code memoryId} updates this")
     */
    public record Relation(String memoryId, MemoryRelation relation, boolean outgoing) {}

    /** One page and the total number of matching memories. */
    public record Page(List<Entry> entries, long totalItems) {}

    public Page list(String orgId, ListQuery query) {
        Instant now = clock.instant();
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("m.org_id = ?");
        parameters.add(orgId);
        try (Connection connection = dataSource.getConnection()) {
            if (!query.containerTags().isEmpty()) {
                where.append(" and m.container_tag = any(?)");
                parameters.add(
                        connection.createArrayOf("text", query.containerTags().toArray()));
            }
            if (query.latestOnly()) {
                where.append(" and m.is_latest");
            }
            if (!query.includeForgotten()) {
                where.append(" and not m.is_forgotten and (m.forget_after is null or m.forget_after > ?)");
                parameters.add(now);
            }
            if (query.filter() != null) {
                where.append(" and ")
                        .append(new MetadataFilterSql(
                                        "m.metadata", parameters, MetadataFilterSql.Placeholders.POSITIONAL)
                                .toSql(query.filter()));
            }
            String direction = query.ascending() ? "asc" : "desc";
            String sql = "select " + MemoryStore.COLUMNS + " from writer.memories m where " + where + " order by m."
                    + query.sort().column() + " " + direction + ", m.id " + direction + " limit " + query.limit()
                    + " offset " + ((long) (query.page() - 1) * query.limit());
            List<Memory> memories = store.query(connection, sql, parameters.toArray());
            long total = count(connection, where.toString(), parameters);
            return new Page(entries(connection, orgId, memories, now), total);
        } catch (SQLException e) {
            throw new MemoryStorageException("listing memories failed", e);
        }
    }

    private List<Entry> entries(Connection connection, String orgId, List<Memory> memories, Instant now)
            throws SQLException {
        if (memories.isEmpty()) {
            return List.of();
        }
        Set<String> ids = memories.stream().map(Memory::id).collect(Collectors.toSet());
        Set<String> roots = memories.stream().map(Memory::rootMemoryId).collect(Collectors.toSet());
        Map<String, List<Memory>> chains =
                store.chains(connection, orgId, roots).stream().collect(Collectors.groupingBy(Memory::rootMemoryId));
        List<StoredRelation> relations = store.relations(connection, orgId, ids);
        Map<String, List<String>> documents = store.documentIds(connection, orgId, ids);
        List<Entry> entries = new ArrayList<>(memories.size());
        for (Memory memory : memories) {
            List<Memory> history = chains.getOrDefault(memory.rootMemoryId(), List.of()).stream()
                    .filter(older -> older.version() < memory.version())
                    .toList();
            List<Relation> related = new ArrayList<>();
            for (StoredRelation relation : relations) {
                if (relation.fromId().equals(memory.id())) {
                    related.add(new Relation(relation.toId(), relation.relation(), true));
                } else if (relation.toId().equals(memory.id())) {
                    related.add(new Relation(relation.fromId(), relation.relation(), false));
                }
            }
            entries.add(new Entry(memory, history, related, documents.getOrDefault(memory.id(), List.of())));
        }
        return entries;
    }

    private long count(Connection connection, String where, List<Object> parameters) throws SQLException {
        try (PreparedStatement count =
                connection.prepareStatement("select count(*) from writer.memories m where " + where)) {
            MemoryStore.bind(count, parameters.toArray());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
