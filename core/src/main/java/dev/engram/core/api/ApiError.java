package dev.engram.core.api;

import java.util.Objects;

/**
 * The error body of the Memory API, shaped like Supermemory's: a short summary and the specifics.
 *
 * @param error what went wrong, e.g. {@code "Invalid request"}
 * @param details which field or resource, and why
 */
public record ApiError(String error, String details) {

    public ApiError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(details, "details");
    }
}
