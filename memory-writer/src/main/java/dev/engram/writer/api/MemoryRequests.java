package dev.engram.writer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterParser;
import dev.engram.core.filters.InvalidFilterException;
import dev.engram.writer.editing.MemoryTarget;
import dev.engram.writer.forgetting.ForgetMatchingRequest;
import dev.engram.writer.listing.ListQuery;
import dev.engram.writer.memories.FieldUpdate;
import dev.engram.writer.memories.MemoryChanges;
import dev.engram.writer.memories.NewMemory;
import dev.engram.writer.memories.TemporalContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns memory API bodies into the use cases' inputs, checking every documented rule first. */
final class MemoryRequests {

    /** Most memories per {@code POST /v4/memories}. */
    static final int MAX_MEMORIES = 100;

    /** Longest memory text. */
    static final int MAX_CONTENT = 10_000;

    /** Longest forget reason. */
    static final int MAX_REASON = 1000;

    /** Most event dates on one memory. */
    static final int MAX_EVENT_DATES = 100;

    private MemoryRequests() {}

    /** The memories of a create request. */
    static List<NewMemory> newMemories(JsonNode body) {
        JsonNode memories = body.get("memories");
        if (RequestFields.missing(memories)) {
            throw new InvalidRequestException("memories", "is required");
        }
        if (!memories.isArray()) {
            throw new InvalidRequestException("memories", "must be an array");
        }
        if (memories.isEmpty() || memories.size() > MAX_MEMORIES) {
            throw new InvalidRequestException(
                    "memories", "must have 1 to " + MAX_MEMORIES + " entries, had " + memories.size());
        }
        List<NewMemory> parsed = new ArrayList<>(memories.size());
        for (int i = 0; i < memories.size(); i++) {
            parsed.add(newMemory(memories.get(i), "memories[" + i + "]."));
        }
        return parsed;
    }

    private static NewMemory newMemory(JsonNode item, String prefix) {
        if (item == null || !item.isObject()) {
            throw new InvalidRequestException(prefix.substring(0, prefix.length() - 1), "must be an object");
        }
        String content = RequestFields.text(item.get("content"), prefix + "content", true, MAX_CONTENT);
        Instant forgetAfter = RequestFields.instant(item.get("forgetAfter"), prefix + "forgetAfter");
        String forgetReason = RequestFields.text(item.get("forgetReason"), prefix + "forgetReason", false, MAX_REASON);
        JsonNode temporal = item.get("temporalContext");
        TemporalContext context = TemporalContext.NONE;
        if (!RequestFields.missing(temporal)) {
            String field = prefix + "temporalContext";
            requireObject(temporal, field);
            context = new TemporalContext(
                    RequestFields.instant(temporal.get("documentDate"), field + ".documentDate"),
                    RequestFields.instants(temporal.get("eventDate"), field + ".eventDate", MAX_EVENT_DATES));
        }
        return NewMemory.of(content)
                .withStatic(RequestFields.flag(item.get("isStatic"), prefix + "isStatic", false))
                .withMetadata(RequestFields.metadata(item.get("metadata"), prefix + "metadata", false))
                .withForgetAfter(forgetAfter, forgetReason)
                .withTemporalContext(context);
    }

    /** The memory a PATCH or DELETE names: {@code id} if given, else the exact {@code content}. */
    static MemoryTarget target(JsonNode body) {
        String id = RequestFields.text(body.get("id"), "id", false, 200);
        String content = id != null ? null : RequestFields.string(body.get("content"), "content", false);
        if (id == null && (content == null || content.isEmpty())) {
            throw new InvalidRequestException("id", "name the memory by 'id' or by its exact 'content'");
        }
        return new MemoryTarget(id, content);
    }

    /** What a PATCH changes besides the content; absent fields are inherited. */
    static MemoryChanges changes(JsonNode body) {
        MemoryChanges changes =
                MemoryChanges.inherit().withMetadata(RequestFields.metadata(body.get("metadata"), "metadata", true));
        JsonNode forgetAfter = body.get("forgetAfter");
        JsonNode forgetReason = body.get("forgetReason");
        changes = changes.withForgetAfter(
                update(forgetAfter, RequestFields.instant(forgetAfter, "forgetAfter")),
                update(forgetReason, RequestFields.text(forgetReason, "forgetReason", false, MAX_REASON)));
        JsonNode temporal = body.get("temporalContext");
        if (!RequestFields.missing(temporal)) {
            requireObject(temporal, "temporalContext");
            JsonNode documentDate = temporal.get("documentDate");
            JsonNode eventDate = temporal.get("eventDate");
            List<Instant> events = RequestFields.instants(eventDate, "temporalContext.eventDate", MAX_EVENT_DATES);
            changes = changes.withTemporalContext(
                    update(documentDate, RequestFields.instant(documentDate, "temporalContext.documentDate")),
                    eventDate == null
                            ? FieldUpdate.keep()
                            : events.isEmpty() ? FieldUpdate.clear() : FieldUpdate.set(events));
        }
        return changes;
    }

    /** A list request; absent fields take their defaults. */
    static ListQuery listQuery(JsonNode body) {
        // An empty body lists with every default.
        JsonNode b = body == null || body.isNull() ? JsonNodeFactory.instance.objectNode() : RequestFields.object(body);
        List<String> tags = new ArrayList<>();
        JsonNode containerTags = b.get("containerTags");
        if (!RequestFields.missing(containerTags)) {
            if (!containerTags.isArray()) {
                throw new InvalidRequestException("containerTags", "must be an array of container tags");
            }
            for (int i = 0; i < containerTags.size(); i++) {
                tags.add(RequestFields.containerTag(containerTags.get(i), "containerTags[" + i + "]"));
            }
        }
        Filter filter = filter(b.get("filters"));
        int limit = RequestFields.whole(b.get("limit"), "limit", ListQuery.DEFAULT_LIMIT, 1, ListQuery.MAX_LIMIT);
        int page = RequestFields.whole(b.get("page"), "page", 1, 1, 1_000_000);
        String sort = RequestFields.string(b.get("sort"), "sort", false);
        ListQuery.Sort sortBy;
        if (sort == null || "createdAt".equals(sort)) {
            sortBy = ListQuery.Sort.CREATED_AT;
        } else if ("updatedAt".equals(sort)) {
            sortBy = ListQuery.Sort.UPDATED_AT;
        } else {
            throw new InvalidRequestException("sort", "must be 'createdAt' or 'updatedAt'");
        }
        String order = RequestFields.string(b.get("order"), "order", false);
        if (order != null && !"asc".equals(order) && !"desc".equals(order)) {
            throw new InvalidRequestException("order", "must be 'asc' or 'desc'");
        }
        return new ListQuery(
                tags,
                filter,
                limit,
                page,
                sortBy,
                "asc".equals(order),
                RequestFields.flag(b.get("includeForgotten"), "includeForgotten", false),
                RequestFields.flag(b.get("latestOnly"), "latestOnly", true));
    }

    /** A forget-matching request in {@code tag} (its {@code containerTag}, already checked). */
    static ForgetMatchingRequest forgetMatching(JsonNode body, String tag) {
        String query = RequestFields.text(body.get("query"), "query", false, MAX_CONTENT);
        List<String> ids = RequestFields.strings(body.get("ids"), "ids", ForgetMatchingRequest.MAX_FORGET);
        if ((query == null) == (ids == null)) {
            throw new InvalidRequestException("query", "give exactly one of 'query' and 'ids'");
        }
        int maxForget = RequestFields.whole(
                body.get("maxForget"),
                "maxForget",
                ForgetMatchingRequest.DEFAULT_MAX_FORGET,
                1,
                ForgetMatchingRequest.MAX_FORGET);
        if (ids != null && ids.size() > maxForget) {
            throw new InvalidRequestException(
                    "ids", "names " + ids.size() + " memories, more than maxForget (" + maxForget + ")");
        }
        return new ForgetMatchingRequest(
                tag,
                query,
                ids,
                RequestFields.number(body.get("threshold"), "threshold", ForgetMatchingRequest.DEFAULT_THRESHOLD, 0, 1),
                maxForget,
                RequestFields.flag(body.get("dryRun"), "dryRun", false),
                RequestFields.text(body.get("reason"), "reason", false, MAX_REASON));
    }

    private static Filter filter(JsonNode filters) {
        try {
            return FilterParser.parse(filters, "filters");
        } catch (InvalidFilterException e) {
            throw new InvalidRequestException(
                    e.path(), e.getMessage().substring(e.path().length() + 2));
        }
    }

    /** Absent: keep; JSON null: clear; a value: set. */
    private static <T> FieldUpdate<T> update(JsonNode node, T value) {
        if (node == null || node.isMissingNode()) {
            return FieldUpdate.keep();
        }
        return value == null ? FieldUpdate.clear() : FieldUpdate.set(value);
    }

    private static void requireObject(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new InvalidRequestException(field, "must be an object");
        }
    }
}
