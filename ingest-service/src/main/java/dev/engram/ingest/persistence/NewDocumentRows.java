package dev.engram.ingest.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;

/**
 * Inserts new document rows in one statement, for {@code POST /v3/documents/batch} (their events go to the outbox the
 * same way: {@code OutboxWriter#appendAll}).
 *
 * <p>Persisting the rows as entities went through Hibernate's insert machinery twice per document (the row and its
 * outbox row, the latter with its identity read back): about 40 % of ingest-service's CPU while a 10,000-document
 * import ran. A row written here never enters the session: call this before any entity is written in the transaction
 * (a native statement flushes the session first), and only for rows that are new (no stored row, and no other
 * document of the same request shares their custom id).
 */
public final class NewDocumentRows {

    private NewDocumentRows() {}

    /** Inserts {@code rows} (new, unmanaged entities with every column set as an added document has it). */
    public static Uni<Void> insertAll(List<DocumentEntity> rows, ObjectMapper json) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        String[] orgs = new String[n];
        String[] ids = new String[n];
        String[] tags = new String[n];
        String[] customIds = new String[n];
        String[] contents = new String[n];
        String[] metadata = new String[n];
        String[] statuses = new String[n];
        Long[] revisions = new Long[n];
        String[] sources = new String[n];
        String[] filepaths = new String[n];
        String[] taskTypes = new String[n];
        String[] types = new String[n];
        String[] createdAt = new String[n];
        String[] updatedAt = new String[n];
        for (int i = 0; i < n; i++) {
            DocumentEntity row = rows.get(i);
            if (row.contentType != null || row.filename != null || row.turns != null) {
                throw new IllegalArgumentException("only rows of text or URL documents are inserted here");
            }
            orgs[i] = row.orgId;
            ids[i] = row.id;
            tags[i] = row.containerTag;
            customIds[i] = row.customId;
            contents[i] = row.content;
            metadata[i] = jsonText(json, row.metadata == null ? Map.of() : row.metadata);
            statuses[i] = row.status;
            revisions[i] = row.revision;
            sources[i] = row.source;
            filepaths[i] = row.filepath;
            taskTypes[i] = row.taskType;
            types[i] = row.type;
            createdAt[i] = row.createdAt.toString();
            updatedAt[i] = row.updatedAt.toString();
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                                insert into ingest.documents (org_id, id, container_tag, custom_id, content, metadata,
                                    status, revision, source, filepath, task_type, type, created_at, updated_at)
                                select r.org_id, r.id, r.container_tag, r.custom_id, r.content, cast(r.metadata as jsonb),
                                    r.status, r.revision, r.source, r.filepath, r.task_type, r.type,
                                    cast(r.created_at as timestamptz), cast(r.updated_at as timestamptz)
                                from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as text[]),
                                    cast(?4 as text[]), cast(?5 as text[]), cast(?6 as text[]), cast(?7 as text[]),
                                    cast(?8 as bigint[]), cast(?9 as text[]), cast(?10 as text[]),
                                    cast(?11 as text[]), cast(?12 as text[]), cast(?13 as text[]),
                                    cast(?14 as text[]))
                                    as r(org_id, id, container_tag, custom_id, content, metadata, status, revision,
                                        source, filepath, task_type, type, created_at, updated_at)
                                """)
                        .setParameter(1, orgs)
                        .setParameter(2, ids)
                        .setParameter(3, tags)
                        .setParameter(4, customIds)
                        .setParameter(5, contents)
                        .setParameter(6, metadata)
                        .setParameter(7, statuses)
                        .setParameter(8, revisions)
                        .setParameter(9, sources)
                        .setParameter(10, filepaths)
                        .setParameter(11, taskTypes)
                        .setParameter(12, types)
                        .setParameter(13, createdAt)
                        .setParameter(14, updatedAt)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static String jsonText(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
