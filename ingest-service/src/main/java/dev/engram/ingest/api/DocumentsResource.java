package dev.engram.ingest.api;

import dev.engram.core.auth.Caller;
import dev.engram.core.auth.ScopeViolationException;
import dev.engram.ingest.auth.DocumentScope;
import dev.engram.ingest.auth.RequestCaller;
import dev.engram.ingest.documents.AddDocument;
import dev.engram.ingest.documents.AddDocumentBatch;
import dev.engram.ingest.documents.DeleteDocuments;
import dev.engram.ingest.documents.DocumentRequestValidator;
import dev.engram.ingest.documents.FindDocument;
import dev.engram.ingest.documents.MemoryExtractionStatus;
import dev.engram.ingest.documents.UpdateDocument;
import dev.engram.ingest.documents.UploadDocument;
import dev.engram.ingest.listing.ListDocuments;
import dev.engram.ingest.listing.ListDocumentsRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** {@code /v3/documents}: the Memory API's document endpoints. */
@Path("/v3/documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {

    @Inject
    AddDocument addDocument;

    @Inject
    AddDocumentBatch addDocumentBatch;

    @Inject
    UploadDocument uploadDocument;

    @Inject
    FindDocument findDocument;

    @Inject
    MemoryExtractionStatus memoryStatus;

    @Inject
    UpdateDocument updateDocument;

    @Inject
    DeleteDocuments deleteDocuments;

    @Inject
    ListDocuments listDocuments;

    @Inject
    RequestCaller requestCaller;

    @Inject
    DocumentScope scope;

    /** Adds a document (or updates the one with the same customId) and queues it for processing. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AddDocumentResponse> add(AddDocumentRequest request) {
        Caller caller = requestCaller.get();
        var document = DocumentRequestValidator.validate(TagScope.add(caller, request), caller.orgId());
        return addDocument.add(document).map(DocumentsResource::response);
    }

    /** Adds 1 to 600 documents; each item succeeds or fails on its own. */
    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BatchAddResponse> batch(BatchAddRequest request) {
        Caller caller = requestCaller.get();
        return addDocumentBatch.add(TagScope.batch(caller, request), caller.orgId());
    }

    /** Adds an uploaded file; its type is detected from its bytes. */
    @POST
    @Path("/file")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<AddDocumentResponse> upload(
            @RestForm("file") FileUpload file,
            @RestForm String containerTag,
            @RestForm String containerTags,
            @RestForm String metadata,
            @RestForm String filepath,
            @RestForm String customId,
            @RestForm String taskType) {
        Caller caller = requestCaller.get();
        var form = new UploadDocument.Form(
                file == null ? null : file.uploadedFile(),
                file == null ? null : file.fileName(),
                TagScope.uploadTag(caller, containerTag, containerTags),
                caller.scoped() ? null : containerTags,
                metadata,
                filepath,
                customId,
                taskType);
        return uploadDocument.upload(form, caller.orgId()).map(DocumentsResource::response);
    }

    /** Lists documents, a page at a time, filtered by tag, path and metadata. */
    @POST
    @Path("/list")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> list(ListDocumentsRequest request) {
        Caller caller = requestCaller.get();
        return listDocuments.list(TagScope.list(caller, request), caller.orgId());
    }

    /** Documents still being processed; a scoped key sees only its tag's. */
    @GET
    @Path("/processing")
    public Uni<byte[]> processing() {
        Caller caller = requestCaller.get();
        return findDocument.processing(caller.orgId(), caller.scoped() ? caller.containerTag() : null);
    }

    /** A document by id or customId, with its processing status. */
    @GET
    @Path("/{id}")
    public Uni<DocumentResponse> get(@PathParam("id") String id) {
        Caller caller = requestCaller.get();
        return scope.check(caller, id)
                .flatMap(ok -> findDocument.byIdOrCustomId(caller.orgId(), id))
                .flatMap(document -> memoryStatus.addTo(caller.orgId(), document));
    }

    /** Changes a document; a new content or tag reprocesses it, other changes apply in place. */
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AddDocumentResponse> update(@PathParam("id") String id, UpdateDocumentRequest request) {
        Caller caller = requestCaller.get();
        UpdateDocumentRequest scoped = TagScope.update(caller, request);
        return scope.check(caller, id)
                .flatMap(ok -> updateDocument.update(caller.orgId(), id, scoped))
                .map(DocumentsResource::response);
    }

    /** Deletes a document by id or customId, with its chunks and vectors. */
    @DELETE
    @Path("/{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        Caller caller = requestCaller.get();
        return scope.check(caller, id)
                .flatMap(ok -> deleteDocuments.delete(caller.orgId(), id))
                .map(v -> RestResponse.noContent());
    }

    /** Deletes many documents: by ids, by container tags, or by file path. */
    @DELETE
    @Path("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> deleteBulk(BulkDeleteRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "give exactly one of ids, containerTags or filepath");
        }
        Caller caller = requestCaller.get();
        if (caller.scoped() && request.filepath() != null) {
            throw new ScopeViolationException("A scoped API key deletes in bulk by ids or by its container tag.");
        }
        List<String> named = caller.scoped() && request.ids() != null
                ? request.ids().stream()
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .toList()
                : List.of();
        return scope.check(caller, named)
                .flatMap(ok -> deleteDocuments.bulk(
                        caller.orgId(),
                        request.ids(),
                        TagScope.bulkTags(caller, request.containerTags()),
                        request.filepath()));
    }

    private static AddDocumentResponse response(AddDocument.Added added) {
        return new AddDocumentResponse(added.id(), added.status().wireName());
    }
}
