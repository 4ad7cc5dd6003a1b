package dev.engram.writer.fetch;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A URL could not be fetched. The message is for people (it names the host, never the response body or the query
 * string); {@link #kind()} and {@link #retriable()} are for code.
 */
public final class FetchException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** Not an absolute http(s) URL, or one with credentials in it. Permanent. */
        INVALID_URL,
        /** The host is, or resolves to, a non-public address that is not allow-listed. Permanent. */
        REFUSED_ADDRESS,
        /** The host name did not resolve. Retriable: resolvers fail transiently too. */
        UNKNOWN_HOST,
        /** The connection was refused, reset or closed early. Retriable. */
        CONNECTION_FAILED,
        /** Connecting or the whole fetch took longer than allowed. Retriable. */
        TIMEOUT,
        /** The TLS handshake failed (untrusted or mismatching certificate, no common protocol). Permanent. */
        TLS,
        /** The server answered with a non-success status; see {@link #statusCode()}. Retriable for 408, 429, 5xx. */
        HTTP_STATUS,
        /** More redirects than allowed. Permanent. */
        TOO_MANY_REDIRECTS,
        /** The body exceeds the size limit. Permanent. */
        TOO_LARGE,
        /** The server's response is not valid HTTP/1.1 or uses an unsupported encoding. Permanent. */
        PROTOCOL
    }

    private final Kind kind;
    private final int statusCode;
    private final Duration retryAfter;

    FetchException(Kind kind, String message) {
        this(kind, message, null);
    }

    FetchException(Kind kind, String message, Throwable cause) {
        this(kind, message, 0, null, cause);
    }

    FetchException(Kind kind, String message, int statusCode, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#HTTP_STATUS}; 0 otherwise. */
    public int statusCode() {
        return statusCode;
    }

    /** The server's {@code Retry-After} (in seconds form) with a 429 or 503, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether the same fetch may succeed later: timeouts, connection and resolver failures, 408, 429 and 5xx. */
    public boolean retriable() {
        return switch (kind) {
            case UNKNOWN_HOST, CONNECTION_FAILED, TIMEOUT -> true;
            case HTTP_STATUS -> statusCode == 408 || statusCode == 429 || statusCode >= 500;
            case INVALID_URL, REFUSED_ADDRESS, TLS, TOO_MANY_REDIRECTS, TOO_LARGE, PROTOCOL -> false;
        };
    }
}
