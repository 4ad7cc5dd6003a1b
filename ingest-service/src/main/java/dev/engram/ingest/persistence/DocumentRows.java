package dev.engram.ingest.persistence;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads of many document rows at once, one query per organisation. Call them first in a transaction: a query flushes
 * whatever the session has changed so far, so a query per document in a loop that writes is quadratic.
 */
public final class DocumentRows {

    private DocumentRows() {}

    /**
     * Loads the rows of the given keys into the current session, so the {@code findById} calls that follow are answered
     * from the session instead of one round trip each.
     */
    public static Uni<Void> preload(Collection<DocumentKey> keys) {
        Map<String, Set<String>> idsByOrg = new LinkedHashMap<>();
        for (DocumentKey key : keys) {
            idsByOrg.computeIfAbsent(key.orgId, org -> new LinkedHashSet<>()).add(key.id);
        }
        return perOrganisation("id", idsByOrg).replaceWithVoid();
    }

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
