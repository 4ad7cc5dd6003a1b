package dev.engram.ingest.persistence;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads of many document rows at once. */
public final class DocumentRows {

    private DocumentRows() {}

    /**
     * Loads the rows of the given keys into the current session in one query per organisation, so the
     * {@code findById} calls that follow are answered from the session instead of one round trip each. Call it first
     * in a transaction: a query flushes whatever the session has changed so far.
     */
    public static Uni<Void> preload(Collection<DocumentKey> keys) {
        Map<String, Set<String>> idsByOrg = new LinkedHashMap<>();
        for (DocumentKey key : keys) {
            idsByOrg.computeIfAbsent(key.orgId, org -> new LinkedHashSet<>()).add(key.id);
        }
        if (idsByOrg.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(idsByOrg.entrySet())
                .onItem()
                .transformToUniAndConcatenate(org ->
                        DocumentEntity.list("orgId = ?1 and id in ?2", org.getKey(), List.copyOf(org.getValue())))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
