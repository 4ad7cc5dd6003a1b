package dev.engram.ingest.api;

import dev.engram.core.tenancy.Orgs;
import dev.engram.ingest.documents.AddDocument;
import dev.engram.ingest.documents.DocumentRequestValidator;
import dev.engram.ingest.documents.FindDocument;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /v3/documents}: the Memory API's document endpoints. */
@Path("/v3/documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {

    @Inject
    AddDocument addDocument;

    @Inject
    FindDocument findDocument;

    /** Adds a document (or updates the one with the same customId) and queues it for processing. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AddDocumentResponse> add(AddDocumentRequest request) {
        var document = DocumentRequestValidator.validate(request, Orgs.DEFAULT);
        return addDocument
                .add(document)
                .map(added -> new AddDocumentResponse(added.id(), added.status().wireName()));
    }

    /** A document by id or customId, with its processing status. */
    @GET
    @Path("/{id}")
    public Uni<DocumentResponse> get(@PathParam("id") String id) {
        return findDocument.byIdOrCustomId(Orgs.DEFAULT, id);
    }
}
