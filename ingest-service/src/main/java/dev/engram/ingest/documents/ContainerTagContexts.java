package dev.engram.ingest.documents;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Records the container tags an organisation uses and, when given, each tag's entity context. */
@ApplicationScoped
public class ContainerTagContexts {

    /** A tag and the entity context given for it ({@code null}: none given). */
    public record TagContext(String orgId, String tag, String entityContext) {}

    /**
     * Records several tags in one statement, in the given order (give them sorted: concurrent callers then lock the
     * rows in the same order). Must run inside a transaction. A {@code null} context keeps the one already stored.
     */
    public Uni<Void> rememberAll(List<TagContext> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] orgs = tags.stream().map(TagContext::orgId).toArray(String[]::new);
        String[] names = tags.stream().map(TagContext::tag).toArray(String[]::new);
        String[] contexts = tags.stream().map(TagContext::entityContext).toArray(String[]::new);
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                                insert into ingest.container_tags (org_id, tag, entity_context, created_at, updated_at)
                                select t.org_id, t.tag, t.entity_context, now(), now()
                                from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as text[])) with ordinality as t(org_id, tag, entity_context, position)
                                order by t.position
                                on conflict (org_id, tag) do update
                                set entity_context = coalesce(excluded.entity_context, container_tags.entity_context),
                                    updated_at = case when excluded.entity_context is null
                                                      then container_tags.updated_at else now() end
                                """)
                        .setParameter(1, orgs)
                        .setParameter(2, names)
                        .setParameter(3, contexts)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Must run inside a transaction. A {@code null} context keeps the one already stored. */
    public Uni<Void> remember(String orgId, String tag, String entityContext) {
        return rememberAll(List.of(new TagContext(orgId, tag, entityContext)));
    }
}
