package dev.engram.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Answer to {@code POST /v3/documents/batch}: one result per item, in order, and the counts.
 *
 * @param results per item: its id and status, or {@code status = "error"} with {@code error} and {@code details}
 * @param success items accepted
 * @param failed items rejected
 */
public record BatchAddResponse(List<Item> results, int success, int failed) {

    /** The outcome of one item; {@code id} is empty for a rejected item. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String id, String status, String error, String details) {}
}
