package dev.engram.ingest.documents;

import java.util.Map;
import java.util.Objects;

/**
 * A validated document to add: every field satisfies the API's rules.
 *
 * @param orgId owning organisation
 * @param containerTag valid container tag
 * @param customId valid custom id, or {@code null}
 * @param content non-blank content within the size limit
 * @param metadata flat metadata, never {@code null}
 */
public record NewDocument(
        String orgId, String containerTag, String customId, String content, Map<String, Object> metadata) {

    public NewDocument {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(content, "content");
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }
}
