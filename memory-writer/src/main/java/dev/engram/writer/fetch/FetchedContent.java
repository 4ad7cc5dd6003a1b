package dev.engram.writer.fetch;

import java.net.URI;
import java.util.Objects;

/**
 * A fetched response body.
 *
 * @param body the body, decompressed; at most the configured size limit
 * @param contentType the {@code Content-Type} the server declared (a hint only; extraction detects the real type), or
 *     {@code application/octet-stream} if it declared none
 * @param finalUrl the URL the body came from, after redirects
 */
public record FetchedContent(byte[] body, String contentType, URI finalUrl) {

    public FetchedContent {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(finalUrl, "finalUrl");
    }
}
