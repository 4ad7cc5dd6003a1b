package dev.engram.ingest.documents;

import java.util.Objects;

/**
 * A file uploaded with {@code POST /v3/documents/file}.
 *
 * @param bytes the file's bytes
 * @param contentType the content type detected from the bytes (never the one the client declared)
 * @param filename the client's file name, or {@code null}
 */
public record UploadedFile(byte[] bytes, String contentType, String filename) {

    public UploadedFile {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
    }
}
