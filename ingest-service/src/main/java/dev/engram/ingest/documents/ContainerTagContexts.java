package dev.engram.ingest.documents;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Records the container tags an organisation uses and, when given, each tag's entity context. */
@ApplicationScoped
public class ContainerTagContexts {

    /** Must run inside a transaction. A {@code null} context keeps the one already stored. */
    public Uni<Void> remember(String orgId, String tag, String entityContext) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                                insert into ingest.container_tags (org_id, tag, entity_context, created_at, updated_at)
                                values (?1, ?2, ?3, now(), now())
                                on conflict (org_id, tag) do update
                                set entity_context = coalesce(excluded.entity_context, container_tags.entity_context),
                                    updated_at = case when excluded.entity_context is null
                                                      then container_tags.updated_at else now() end
                                """)
                        .setParameter(1, orgId)
                        .setParameter(2, tag)
                        .setParameter(3, entityContext)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
