package dev.engram.ingest.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads of many document rows at once, one query per organisation. Call them first in a transaction: a query flushes
 * whatever the session has changed so far, so a query per document in a loop that writes is quadratic.
 */
public final class DocumentRows {

    private DocumentRows() {}

    /**
     * What a document event needs to know of the stored rows among {@code keys} (absent keys have no row). Read as a
     * projection, so no entity enters the session: the session's flush at commit has nothing to dirty-check for the
     * rows that turn out to need nothing, which is nearly all of them.
     */
    public static Uni<Map<DocumentKey, RowState>> states(Collection<DocumentKey> keys) {
        return project(
                keys,
                "select d.id, d.revision, case when d.content is null then true else false end, d.source",
                (org, row) -> new RowState((Long) row[1], (Boolean) row[2], (String) row[3]));
    }

    /**
     * A stored row's state as a document event sees it.
     *
     * @param revision the row's revision
     * @param contentMissing whether the row has no content yet (made from a status that came before its event)
     * @param source where its content came from ({@code text}, {@code url}, {@code file})
     */
    public record RowState(long revision, boolean contentMissing, String source) {}

    /**
     * The status and revision of the stored rows among {@code keys} (absent keys have no row), read as a projection:
     * no entity enters the session.
     */
    public static Uni<Map<DocumentKey, StatusRow>> statuses(Collection<DocumentKey> keys) {
        return project(
                keys,
                "select d.id, d.revision, d.status",
                (org, row) -> new StatusRow(org, (String) row[0], (Long) row[1], (String) row[2]));
    }

    /**
     * Runs {@code select} (a fixed HQL select list, never input, whose first column is {@code d.id}) over the rows of
     * {@code keys}, one query per organisation, and maps each row with {@code map(orgId, columns)}.
     */
    private static <T> Uni<Map<DocumentKey, T>> project(
            Collection<DocumentKey> keys, String select, BiFunction<String, Object[], T> map) {
        Map<String, Set<String>> idsByOrg = new LinkedHashMap<>();
        keys.forEach(key -> idsByOrg.computeIfAbsent(key.orgId, org -> new LinkedHashSet<>())
                .add(key.id));
        Map<DocumentKey, T> rows = new HashMap<>();
        if (idsByOrg.isEmpty()) {
            return Uni.createFrom().item(rows);
        }
        return Panache.getSession()
                .flatMap(session -> Multi.createFrom()
                        .iterable(idsByOrg.entrySet())
                        .onItem()
                        .transformToUniAndConcatenate(org -> session.createSelectionQuery(
                                        select + " from DocumentEntity d where d.orgId = :org and d.id in :ids",
                                        Object[].class)
                                .setParameter("org", org.getKey())
                                .setParameter("ids", List.copyOf(org.getValue()))
                                .getResultList()
                                .invoke(found -> found.forEach(row -> rows.put(
                                        new DocumentKey(org.getKey(), (String) row[0]), map.apply(org.getKey(), row)))))
                        .collect()
                        .last())
                .replaceWith(rows);
    }

    /** A stored row's processing state. */
    public record StatusRow(String orgId, String id, long revision, String status) {}

    /** The stored rows with the given custom ids, per organisation ({@code orgId → customIds}). */
    public static Uni<List<DocumentEntity>> withCustomIds(Map<String, Set<String>> customIdsByOrg) {
        return perOrganisation("customId", customIdsByOrg);
    }

    /** The rows whose {@code field} (a fixed column name, never input) is among each organisation's values. */
    private static Uni<List<DocumentEntity>> perOrganisation(String field, Map<String, Set<String>> valuesByOrg) {
        List<DocumentEntity> rows = new ArrayList<>();
        if (valuesByOrg.isEmpty()) {
            return Uni.createFrom().item(rows);
        }
        return Multi.createFrom()
                .iterable(valuesByOrg.entrySet())
                .onItem()
                .transformToUniAndConcatenate(org -> DocumentEntity.<DocumentEntity>list(
                                "orgId = ?1 and " + field + " in ?2", org.getKey(), List.copyOf(org.getValue()))
                        .invoke(rows::addAll))
                .collect()
                .last()
                .replaceWith(rows);
    }
}
