package dev.engram.writer.listing;

import dev.engram.core.filters.Filter;
import java.util.List;

/**
 * What {@code POST /v4/memories/list} asks for.
 *
 * @param containerTags the tags to list; empty means every tag of the organisation
 * @param filter metadata filter, or {@code null}
 * @param limit page size
 * @param page 1-based page
 * @param sort what to order by
 * @param ascending oldest first instead of newest first
 * @param includeForgotten also list memories that are forgotten or expired
 * @param latestOnly list only the latest version of each chain (older ones still show as history)
 */
public record ListQuery(
        List<String> containerTags,
        Filter filter,
        int limit,
        int page,
        Sort sort,
        boolean ascending,
        boolean includeForgotten,
        boolean latestOnly) {

    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;

    /** Largest page size (as for documents). */
    public static final int MAX_LIMIT = 1000;

    public ListQuery {
        containerTags = containerTags == null ? List.of() : List.copyOf(containerTags);
    }

    /** This query over other container tags. */
    public ListQuery withContainerTags(List<String> tags) {
        return new ListQuery(tags, filter, limit, page, sort, ascending, includeForgotten, latestOnly);
    }

    /** Sort keys. */
    public enum Sort {
        CREATED_AT("created_at"),
        UPDATED_AT("updated_at");

        private final String column;

        Sort(String column) {
            this.column = column;
        }

        /** The column (code-supplied SQL). */
        String column() {
            return column;
        }
    }
}
