package dev.engram.ingest.documents;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.json.UnstorableTextException;
import dev.engram.ingest.api.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Adds an uploaded file as a document (multipart {@code POST /v3/documents/file}). */
@ApplicationScoped
public class UploadDocument {

    /** Largest file accepted (50 MB). */
    public static final long MAX_FILE_BYTES = 50L * 1024 * 1024;

    @Inject
    AddDocument addDocument;

    @Inject
    ContentTypeDetector detector;

    @Inject
    ObjectMapper json;

    /**
     * The multipart form, as received.
     *
     * @param file the uploaded file's temporary path, or {@code null} when the part is missing
     * @param filename the client's file name
     * @param containerTag single tag
     * @param containerTags deprecated: a JSON array string or a single tag
     * @param metadata metadata as a JSON object string
     * @param filepath the caller's path
     * @param customId the caller's id
     * @param taskType memory or superrag
     */
    public record Form(
            Path file,
            String filename,
            String containerTag,
            String containerTags,
            String metadata,
            String filepath,
            String customId,
            String taskType) {}

    /**
     * Reads, checks and stores an upload. Must be called on the request's Vert.x context (an event-loop thread): the
     * file is read and its type detected on a worker thread, and the document is stored back on that context, where
     * Hibernate Reactive requires to run.
     */
    public Uni<AddDocument.Added> upload(Form form, String orgId) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("upload must be called on a Vert.x context");
        }
        return Uni.createFrom()
                .item(() -> validate(form, orgId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .flatMap(addDocument::add);
    }

    /** Reads the file and checks every field; blocking (file I/O). */
    private NewDocument validate(Form form, String orgId) {
        if (form.file() == null) {
            throw new InvalidRequestException("file", "is required (multipart part named 'file')");
        }
        byte[] bytes = read(form.file());
        if (bytes.length == 0) {
            throw new InvalidRequestException("file", "is empty");
        }
        String type = detector.detect(bytes, form.filename());
        if (!detector.isSupported(type)) {
            throw new InvalidRequestException("file", "content of type " + type + " is not supported");
        }
        return new NewDocument(
                orgId,
                DocumentRequestValidator.containerTag(form.containerTag(), tags(form.containerTags()), ""),
                DocumentRequestValidator.customId(form.customId(), "customId"),
                null,
                DocumentRequestValidator.metadata(metadata(form.metadata()), "metadata"),
                DocumentRequestValidator.filepath(form.filepath(), "filepath"),
                DocumentRequestValidator.taskType(form.taskType(), "taskType"),
                null,
                new UploadedFile(bytes, type, form.filename()));
    }

    private static byte[] read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new InvalidRequestException("file", "must be at most " + MAX_FILE_BYTES + " bytes, was " + size);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("uploaded file could not be read", e);
        }
    }

    private List<?> tags(String containerTags) {
        if (containerTags == null || containerTags.isBlank()) {
            return null;
        }
        String trimmed = containerTags.strip();
        if (trimmed.startsWith("[")) {
            try {
                return json.readValue(trimmed, new TypeReference<List<Object>>() {});
            } catch (UnstorableTextException e) {
                throw within("containerTags", e);
            } catch (IOException e) {
                throw new InvalidRequestException("containerTags", "is not a JSON array of strings");
            }
        }
        return List.of(trimmed);
    }

    private Map<String, Object> metadata(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return null;
        }
        try {
            return json.readValue(metadata, new TypeReference<Map<String, Object>>() {});
        } catch (UnstorableTextException e) {
            throw within("metadata", e);
        } catch (IOException e) {
            throw new InvalidRequestException("metadata", "must be a JSON object string");
        }
    }

    /** Text that cannot be stored inside a form field's JSON, named from the field ({@code metadata.k}). */
    private static InvalidRequestException within(String field, UnstorableTextException e) {
        return new InvalidRequestException(e.fieldWithin(field), e.reason());
    }
}
