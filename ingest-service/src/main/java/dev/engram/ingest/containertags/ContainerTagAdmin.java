package dev.engram.ingest.containertags;

import dev.engram.core.documents.ContainerTags;
import dev.engram.ingest.api.InvalidRequestException;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.documents.DeleteDocuments;
import dev.engram.ingest.documents.DocumentRequestValidator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An organisation's container tags: the tags recorded in {@code ingest.container_tags} (every document add records
 * its tag) together with any tag its documents carry, each with its settings and document count. A tag exists while
 * it has a row or a document.
 */
@ApplicationScoped
public class ContainerTagAdmin {

    /** Most tags on one page of the list. */
    public static final int MAX_LIMIT = 1000;

    /** Most memory filesystem paths of one tag. */
    public static final int MAX_PATHS = 100;

    /** Longest memory filesystem path. */
    public static final int MAX_PATH = 1000;

    /** The fields {@code PATCH /v3/container-tags/{tag}} takes. */
    static final List<String> PATCH_FIELDS = List.of("name", "entityContext", "memoryFilesystemPaths");

    /** Every tag of the organisation with its row (if any) and its documents' count and dates. */
    private static final String TAGS = """
            with counted as (
                select container_tag as tag, count(*) as documents, min(created_at) as first_document_at,
                       max(updated_at) as last_document_at
                from ingest.documents where org_id = $1 group by container_tag),
            tags as (
                select tag from ingest.container_tags where org_id = $1
                union
                select tag from counted)
            select t.tag, c.name, c.entity_context, c.memory_filesystem_paths,
                   coalesce(c.created_at, n.first_document_at) as created_at,
                   greatest(c.updated_at, n.last_document_at) as updated_at,
                   coalesce(n.documents, 0) as documents
            from tags t
            left join ingest.container_tags c on c.org_id = $1 and c.tag = t.tag
            left join counted n on n.tag = t.tag
            """;

    @Inject
    Pool client;

    @Inject
    DeleteDocuments deleteDocuments;

    /** One page of the organisation's tags, by name. */
    public Uni<Map<String, Object>> list(String orgId, int page, int limit) {
        Uni<Long> total = client.preparedQuery("select count(*) from (select tag from ingest.container_tags"
                        + " where org_id = $1 union select container_tag from ingest.documents where org_id = $1) t")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.iterator().next().getLong(0));
        Uni<List<Map<String, Object>>> tags = client.preparedQuery(TAGS + " order by t.tag limit $2 offset $3")
                .execute(Tuple.of(orgId, limit, (long) (page - 1) * limit))
                .map(rows -> {
                    List<Map<String, Object>> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(view(row));
                    }
                    return found;
                });
        return Uni.combine().all().unis(total, tags).asTuple().map(both -> {
            long count = both.getItem1();
            Map<String, Object> pagination = new LinkedHashMap<>();
            pagination.put("currentPage", page);
            pagination.put("limit", limit);
            pagination.put("totalItems", count);
            pagination.put("totalPages", (count + limit - 1) / limit);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("containerTags", both.getItem2());
            body.put("pagination", pagination);
            return body;
        });
    }

    /**
     * One tag with its settings and document count.
     *
     * @throws ResourceNotFoundException (as the failure) when the organisation has no such tag
     */
    public Uni<Map<String, Object>> get(String orgId, String tag) {
        checkTag(tag);
        return client.preparedQuery(TAGS + " where t.tag = $2")
                .execute(Tuple.of(orgId, tag))
                .map(rows -> {
                    for (Row row : rows) {
                        return view(row);
                    }
                    throw notFound(tag);
                });
    }

    /** The tags among {@code tags} the organisation has. */
    public Uni<List<String>> existing(String orgId, List<String> tags) {
        return client.preparedQuery("select tag from ingest.container_tags where org_id = $1 and tag = any($2)"
                        + " union select distinct container_tag from ingest.documents"
                        + " where org_id = $1 and container_tag = any($2)")
                .execute(Tuple.of(orgId, tags.toArray(String[]::new)))
                .map(rows -> {
                    List<String> found = new ArrayList<>();
                    rows.forEach(row -> found.add(row.getString(0)));
                    return found;
                });
    }

    /**
     * Changes the settings of a tag (creating its record when the tag is new): {@code name} (1–100 characters),
     * {@code entityContext} (at most 1500; guides memory extraction of the tag's documents) and
     * {@code memoryFilesystemPaths} (stored and answered only). Absent fields keep their value, {@code null} clears.
     */
    public Uni<Map<String, Object>> update(String orgId, String tag, Map<String, Object> body) {
        checkTag(tag);
        if (body == null) {
            throw new InvalidRequestException(
                    "body", "a JSON object with name, entityContext or memoryFilesystemPaths");
        }
        for (String field : body.keySet()) {
            if (!PATCH_FIELDS.contains(field)) {
                throw new InvalidRequestException(
                        field, "is not a container tag setting; the settings are " + String.join(", ", PATCH_FIELDS));
            }
        }
        String name = name(body.get("name"));
        String context = body.get("entityContext") == null
                ? null
                : DocumentRequestValidator.entityContext(body.get("entityContext"), "entityContext");
        String[] paths = paths(body.get("memoryFilesystemPaths"));
        Tuple values = Tuple.tuple()
                .addString(orgId)
                .addString(tag)
                .addString(name)
                .addString(context)
                .addArrayOfString(paths)
                .addBoolean(body.containsKey("name"))
                .addBoolean(body.containsKey("entityContext"))
                .addBoolean(body.containsKey("memoryFilesystemPaths"));
        return client.preparedQuery("""
                        insert into ingest.container_tags
                            (org_id, tag, name, entity_context, memory_filesystem_paths, created_at, updated_at)
                        values ($1, $2, $3, $4, $5, now(), now())
                        on conflict (org_id, tag) do update set
                            name = case when $6 then excluded.name else container_tags.name end,
                            entity_context = case when $7 then excluded.entity_context
                                                  else container_tags.entity_context end,
                            memory_filesystem_paths = case when $8 then excluded.memory_filesystem_paths
                                                           else container_tags.memory_filesystem_paths end,
                            updated_at = now()
                        returning tag, name, entity_context, memory_filesystem_paths, updated_at
                        """).execute(values).map(rows -> {
            Row row = rows.iterator().next();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("containerTag", row.getString("tag"));
            answer.put("name", row.getString("name"));
            answer.put("entityContext", row.getString("entity_context"));
            answer.put("memoryFilesystemPaths", list(row.getArrayOfStrings("memory_filesystem_paths")));
            answer.put("updatedAt", instant(row.getOffsetDateTime("updated_at")));
            return answer;
        });
    }

    /**
     * Deletes a tag: every document in it through the ordinary delete (so memory-writer drops their chunks and
     * vectors and forgets the memories that came only from them, memories created through {@code /v4/memories}
     * included), then the tag's record.
     *
     * @throws ResourceNotFoundException (as the failure) when the organisation has no such tag
     */
    public Uni<Map<String, Object>> delete(String orgId, String tag) {
        return get(orgId, tag)
                .flatMap(found -> deleteDocuments.bulk(orgId, null, List.of(tag), null))
                .flatMap(deleted -> client.preparedQuery(
                                "delete from ingest.container_tags where org_id = $1 and tag = $2")
                        .execute(Tuple.of(orgId, tag))
                        .map(rows -> {
                            Map<String, Object> answer = new LinkedHashMap<>();
                            answer.put("success", true);
                            answer.put("containerTag", tag);
                            answer.put("deletedDocuments", deleted.get("deletedCount"));
                            return answer;
                        }));
    }

    /** Checks a tag named in a path. */
    static void checkTag(String tag) {
        ContainerTags.problem(tag).ifPresent(problem -> {
            throw new InvalidRequestException("containerTag", problem);
        });
    }

    static ResourceNotFoundException notFound(String tag) {
        return new ResourceNotFoundException("No container tag '" + tag + "' in this organisation");
    }

    private static String name(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String name) || name.isBlank() || name.length() > 100) {
            throw new InvalidRequestException("name", "must be a string of 1 to 100 characters, or null");
        }
        return name;
    }

    private static String[] paths(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidRequestException("memoryFilesystemPaths", "must be a list of strings, or null");
        }
        if (list.size() > MAX_PATHS) {
            throw new InvalidRequestException("memoryFilesystemPaths", "must hold at most " + MAX_PATHS + " paths");
        }
        String[] paths = new String[list.size()];
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String path) || path.isBlank() || path.length() > MAX_PATH) {
                throw new InvalidRequestException(
                        "memoryFilesystemPaths[" + i + "]", "must be a string of 1 to " + MAX_PATH + " characters");
            }
            paths[i] = path;
        }
        return paths;
    }

    private static Map<String, Object> view(Row row) {
        Map<String, Object> tag = new LinkedHashMap<>();
        tag.put("containerTag", row.getString("tag"));
        tag.put("name", row.getString("name"));
        tag.put("entityContext", row.getString("entity_context"));
        tag.put("memoryFilesystemPaths", list(row.getArrayOfStrings("memory_filesystem_paths")));
        tag.put("documentCount", row.getLong("documents"));
        tag.put("createdAt", instant(row.getOffsetDateTime("created_at")));
        tag.put("updatedAt", instant(row.getOffsetDateTime("updated_at")));
        return tag;
    }

    private static List<String> list(String[] values) {
        return values == null ? null : Arrays.asList(values);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
