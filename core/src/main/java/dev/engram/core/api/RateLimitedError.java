package dev.engram.core.api;

import java.util.Objects;

/**
 * The body of a 429: {@link ApiError}'s fields plus when to try again (also sent as {@code Retry-After}).
 *
 * @param error {@code "Too Many Requests"}
 * @param details which limit was reached
 * @param retryAfterSeconds whole seconds until the key's window ends, at least 1
 */
public record RateLimitedError(String error, String details, long retryAfterSeconds) {

    public RateLimitedError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(details, "details");
    }

    /** The body for a key whose limit is {@code max} requests per {@code windowMillis}. */
    public static RateLimitedError of(int max, long windowMillis, long retryAfterSeconds) {
        return new RateLimitedError(
                "Too Many Requests",
                "This API key is limited to " + max + " requests per " + windowMillis + " ms; retry in "
                        + retryAfterSeconds + " s.",
                retryAfterSeconds);
    }
}
