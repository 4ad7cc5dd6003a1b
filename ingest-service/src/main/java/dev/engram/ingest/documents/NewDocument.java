package dev.engram.ingest.documents;

import dev.engram.core.documents.DocumentSources;
import java.util.Map;
import java.util.Objects;

/**
 * A validated document to add: every field satisfies the API's rules.
 *
 * @param orgId owning organisation
 * @param containerTag valid container tag
 * @param customId valid custom id, or {@code null}
 * @param content non-blank text or URL within the size limit; {@code null} for a file
 * @param metadata flat metadata, never {@code null}
 * @param filepath the caller's path, or {@code null}
 * @param taskType {@code memory} or {@code superrag}
 * @param entityContext context for the container tag, or {@code null}
 * @param file the uploaded file, or {@code null} for text and URL content
 */
public record NewDocument(
        String orgId,
        String containerTag,
        String customId,
        String content,
        Map<String, Object> metadata,
        String filepath,
        String taskType,
        String entityContext,
        UploadedFile file) {

    public NewDocument {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(taskType, "taskType");
        if ((content == null) == (file == null)) {
            throw new IllegalArgumentException("exactly one of content and file");
        }
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }

    /** {@code text}, {@code url} or {@code file}. */
    public String source() {
        return file != null ? DocumentSources.FILE : DocumentSources.of(content);
    }
}
