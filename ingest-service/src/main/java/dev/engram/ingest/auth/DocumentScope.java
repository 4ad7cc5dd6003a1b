package dev.engram.ingest.auth;

import dev.engram.core.auth.Caller;
import dev.engram.ingest.api.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Holds a scoped key to its container tag on endpoints that name documents by id: a document filed under another
 * tag is answered as missing (404), so a scoped key cannot learn that it exists. Unscoped callers pass without a
 * query.
 */
@ApplicationScoped
public class DocumentScope {

    @Inject
    Pool client;

    /**
     * Completes if every named document the caller's organisation has is under the caller's tag.
     *
     * @throws ResourceNotFoundException (as the failure) naming the first one that is not
     */
    public Uni<Void> check(Caller caller, List<String> idsOrCustomIds) {
        if (!caller.scoped() || idsOrCustomIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] keys = idsOrCustomIds.toArray(String[]::new);
        return client.preparedQuery("select coalesce(case when id = any($2) then id end, custom_id) as named"
                        + " from ingest.documents where org_id = $1 and (id = any($2) or custom_id = any($2))"
                        + " and container_tag <> $3 limit 1")
                .execute(Tuple.of(caller.orgId(), keys, caller.containerTag()))
                .map(rows -> {
                    var outside = rows.iterator();
                    if (outside.hasNext()) {
                        throw new ResourceNotFoundException("No document with id or customId '"
                                + outside.next().getString("named") + "'");
                    }
                    return null;
                });
    }

    /** {@link #check(Caller, List)} for one document. */
    public Uni<Void> check(Caller caller, String idOrCustomId) {
        return check(caller, idOrCustomId == null ? List.of() : List.of(idOrCustomId));
    }
}
