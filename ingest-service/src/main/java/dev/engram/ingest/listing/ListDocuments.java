package dev.engram.ingest.listing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.documents.ContainerTags;
import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterParser;
import dev.engram.core.filters.InvalidFilterException;
import dev.engram.core.filters.MetadataFilterSql;
import dev.engram.ingest.api.InvalidRequestException;
import dev.engram.ingest.documents.DocumentRequestValidator;
import dev.engram.ingest.persistence.StoredMetadata;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists documents by tag, path and metadata filter, a page at a time ({@code POST /v3/documents/list}). The filter
 * runs inside PostgreSQL (see {@link MetadataFilterSql}), so pages and totals are exact.
 */
@ApplicationScoped
public class ListDocuments {

    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;

    /** Largest page size. */
    public static final int MAX_LIMIT = 1000;

    @Inject
    Pool client;

    @Inject
    ObjectMapper json;

    public Uni<Map<String, Object>> list(ListDocumentsRequest request, String orgId) {
        ListDocumentsRequest r =
                request == null ? new ListDocumentsRequest(null, null, null, null, null, null, null, null) : request;
        int limit = positive(r.limit(), "limit", DEFAULT_LIMIT, MAX_LIMIT);
        int page = positive(r.page(), "page", 1, 1_000_000);
        String sort = choice(r.sort(), "sort", "createdAt", List.of("createdAt", "updatedAt"));
        String order = choice(r.order(), "order", "desc", List.of("asc", "desc"));
        boolean includeContent = flag(r.includeContent(), "includeContent");
        Filter filter;
        try {
            filter = FilterParser.parse(r.filters(), "filters");
        } catch (InvalidFilterException e) {
            throw new InvalidRequestException(
                    e.path(), e.getMessage().substring(e.path().length() + 2));
        }

        List<Object> parameters = new ArrayList<>();
        parameters.add(orgId);
        StringBuilder where = new StringBuilder("d.org_id = $1");
        List<String> tags = tags(r.containerTags());
        if (!tags.isEmpty()) {
            parameters.add(tags.toArray(String[]::new));
            where.append(" and d.container_tag = any($")
                    .append(parameters.size())
                    .append(")");
        }
        String path = DocumentRequestValidator.filepath(r.filepath(), "filepath");
        if (path != null) {
            if (path.endsWith("/")) {
                parameters.add(path);
                where.append(" and starts_with(d.filepath, $")
                        .append(parameters.size())
                        .append(")");
            } else {
                parameters.add(path);
                where.append(" and d.filepath = $").append(parameters.size());
            }
        }
        if (filter != null) {
            where.append(" and ")
                    .append(new MetadataFilterSql("d.metadata", parameters, MetadataFilterSql.Placeholders.NUMBERED)
                            .toSql(filter));
        }
        String orderBy = ("createdAt".equals(sort) ? "d.created_at" : "d.updated_at") + " " + order + ", d.id " + order;
        String sql = "select d.id, d.custom_id, d.filepath, d.metadata::text as metadata, d.status, d.summary, d.title,"
                + " d.type, d.created_at, d.updated_at, d.container_tag, d.source, d.content,"
                + " count(*) over () as total from ingest.documents d where " + where + " order by " + orderBy
                + " limit " + limit + " offset " + ((long) (page - 1) * limit);
        return client.preparedQuery(sql)
                .execute(Tuple.from(parameters))
                .map(rows -> {
                    List<Map<String, Object>> memories = new ArrayList<>();
                    long total = 0;
                    for (Row row : rows) {
                        total = row.getLong("total");
                        memories.add(entry(row, includeContent));
                    }
                    if (memories.isEmpty() && page > 1) {
                        total = -1; // unknown on an empty page past the end: counted below
                    }
                    Map<String, Object> pagination = new LinkedHashMap<>();
                    pagination.put("currentPage", page);
                    pagination.put("limit", limit);
                    pagination.put("totalItems", Math.max(total, 0));
                    pagination.put("totalPages", total <= 0 ? 0 : (int) ((total + limit - 1) / limit));
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("memories", memories);
                    response.put("pagination", pagination);
                    return response;
                })
                .flatMap(response -> fillTotalPastTheEnd(response, where.toString(), parameters, limit));
    }

    /** An empty page past the end has no window count; ask for the total separately so pagination stays true. */
    private Uni<Map<String, Object>> fillTotalPastTheEnd(
            Map<String, Object> response, String where, List<Object> parameters, int limit) {
        @SuppressWarnings("unchecked")
        Map<String, Object> pagination = (Map<String, Object>) response.get("pagination");
        if (!((List<?>) response.get("memories")).isEmpty() || (int) pagination.get("currentPage") == 1) {
            return Uni.createFrom().item(response);
        }
        String countSql = "select count(*) from ingest.documents d where " + where;
        return client.preparedQuery(countSql).execute(Tuple.from(parameters)).map(rows -> {
            long total = rows.iterator().next().getLong(0);
            pagination.put("totalItems", total);
            pagination.put("totalPages", (int) ((total + limit - 1) / limit));
            return response;
        });
    }

    private Map<String, Object> entry(Row row, boolean includeContent) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", row.getString("id"));
        entry.put("connectionId", null);
        entry.put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
        entry.put("customId", row.getString("custom_id"));
        entry.put("filepath", row.getString("filepath"));
        entry.put("metadata", StoredMetadata.parse(json, row.getString("metadata")));
        entry.put("status", row.getString("status"));
        entry.put("summary", row.getString("summary"));
        entry.put("title", row.getString("title"));
        entry.put("type", row.getString("type"));
        OffsetDateTime updated = row.getOffsetDateTime("updated_at");
        entry.put("updatedAt", updated.toInstant().toString());
        entry.put("containerTags", List.of(row.getString("container_tag")));
        if (includeContent) {
            entry.put("content", row.getString("content"));
        }
        if ("url".equals(row.getString("source"))) {
            entry.put("url", row.getString("content"));
        }
        return entry;
    }

    private static List<String> tags(List<Object> containerTags) {
        if (containerTags == null) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < containerTags.size(); i++) {
            String field = "containerTags[" + i + "]";
            if (!(containerTags.get(i) instanceof String tag)) {
                throw new InvalidRequestException(field, "must be a string");
            }
            ContainerTags.problem(tag).ifPresent(problem -> {
                throw new InvalidRequestException(field, problem);
            });
            tags.add(tag);
        }
        return tags;
    }

    static int positive(Object value, String field, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        long number;
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            number = n.longValue();
        } else if (value instanceof String s && s.strip().matches("\\d{1,9}")) {
            number = Long.parseLong(s.strip());
        } else {
            throw new InvalidRequestException(field, "must be a whole number");
        }
        if (number < 1 || number > max) {
            throw new InvalidRequestException(field, "must be within 1.." + max);
        }
        return (int) number;
    }

    private static String choice(Object value, String field, String fallback, List<String> allowed) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s) || !allowed.contains(s)) {
            throw new InvalidRequestException(field, "must be one of " + allowed);
        }
        return s;
    }

    private static boolean flag(Object value, String field) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw new InvalidRequestException(field, "must be true or false");
    }
}
