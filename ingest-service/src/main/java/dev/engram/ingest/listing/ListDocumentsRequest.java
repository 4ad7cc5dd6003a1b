package dev.engram.ingest.listing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Body of {@code POST /v3/documents/list} (the SDK's {@code DocumentListParams}).
 *
 * @param containerTags restrict to these tags (deprecated in the SDK, still honoured)
 * @param filepath exact path, or a prefix when it ends with {@code /}
 * @param filters the AND/OR metadata filter, as an object or a JSON string
 * @param includeContent include each document's content
 * @param limit page size, 1..1000 (number or numeric string), default 50
 * @param page 1-based page (number or numeric string), default 1
 * @param sort {@code createdAt} (default) or {@code updatedAt}
 * @param order {@code desc} (default) or {@code asc}
 */
public record ListDocumentsRequest(
        List<Object> containerTags,
        Object filepath,
        JsonNode filters,
        Object includeContent,
        Object limit,
        Object page,
        Object sort,
        Object order) {}
