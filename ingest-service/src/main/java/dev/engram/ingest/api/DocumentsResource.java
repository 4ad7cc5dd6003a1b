package dev.engram.ingest.api;

import dev.engram.core.tenancy.Orgs;
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

    /** Adds a document (or updates the one with the same customId) and queues it for processing. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AddDocumentResponse> add(AddDocumentRequest request) {
        var document = DocumentRequestValidator.validate(request, Orgs.DEFAULT);
        return addDocument.add(document).map(DocumentsResource::response);
    }

    /** Adds 1 to 600 documents; each item succeeds or fails on its own. */
    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BatchAddResponse> batch(BatchAddRequest request) {
        return addDocumentBatch.add(request, Orgs.DEFAULT);
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
        var form = new UploadDocument.Form(
                file == null ? null : file.uploadedFile(),
                file == null ? null : file.fileName(),
                containerTag,
                containerTags,
                metadata,
                filepath,
                customId,
                taskType);
        return uploadDocument.upload(form, Orgs.DEFAULT).map(DocumentsResource::response);
    }

    /** Lists documents, a page at a time, filtered by tag, path and metadata. */
    @POST
    @Path("/list")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> list(ListDocumentsRequest request) {
        return listDocuments.list(request, Orgs.DEFAULT);
    }

    /** Documents still being processed. */
    @GET
    @Path("/processing")
    public Uni<Map<String, Object>> processing() {
        return findDocument.processing(Orgs.DEFAULT);
    }

    /** A document by id or customId, with its processing status. */
    @GET
    @Path("/{id}")
    public Uni<DocumentResponse> get(@PathParam("id") String id) {
        return findDocument
                .byIdOrCustomId(Orgs.DEFAULT, id)
                .flatMap(document -> memoryStatus.addTo(Orgs.DEFAULT, document));
    }

    /** Changes a document; a new content or tag reprocesses it, other changes apply in place. */
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AddDocumentResponse> update(@PathParam("id") String id, UpdateDocumentRequest request) {
        return updateDocument.update(Orgs.DEFAULT, id, request).map(DocumentsResource::response);
    }

    /** Deletes a document by id or customId, with its chunks and vectors. */
    @DELETE
    @Path("/{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return deleteDocuments.delete(Orgs.DEFAULT, id).map(v -> RestResponse.noContent());
    }

    /** Deletes many documents: by ids, by container tags, or by file path. */
    @DELETE
    @Path("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> deleteBulk(BulkDeleteRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "give exactly one of ids, containerTags or filepath");
        }
        return deleteDocuments.bulk(Orgs.DEFAULT, request.ids(), request.containerTags(), request.filepath());
    }

    private static AddDocumentResponse response(AddDocument.Added added) {
        return new AddDocumentResponse(added.id(), added.status().wireName());
    }
}
