package dev.engram.writer.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.core.auth.Caller;
import dev.engram.writer.auth.RequestCaller;
import dev.engram.writer.editing.CreateMemories;
import dev.engram.writer.editing.ForgetMemory;
import dev.engram.writer.editing.UpdateMemory;
import dev.engram.writer.forgetting.ForgetMatching;
import dev.engram.writer.forgetting.ForgetMatchingRequest;
import dev.engram.writer.listing.ListMemories;
import dev.engram.writer.listing.ListQuery;
import dev.engram.writer.memories.Memory;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The memory write API ({@code /v4/memories*}), served by memory-writer because it is the single writer of memories.
 * Writes are synchronous: when a response arrives the memory is stored, embedded and searchable. Blocking (JDBC, the
 * model), so every method runs on a worker thread.
 *
 * <p>Every request acts in the caller's organisation. A scoped key acts in its own container tag: a request that names
 * none gets it, one that names another is refused (403), and a memory named by id or content in another tag is not
 * found (each use case looks only inside the tag it is given).
 */
@Path("/v4/memories")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class MemoriesResource {

    @Inject
    CreateMemories createMemories;

    @Inject
    UpdateMemory updateMemory;

    @Inject
    ForgetMemory forgetMemory;

    @Inject
    ListMemories listMemories;

    @Inject
    ForgetMatching forgetMatching;

    @Inject
    Clock clock;

    @Inject
    RequestCaller caller;

    /** Creates up to 100 memories with their light source document → 201. */
    @POST
    public RestResponse<Responses.Created> create(JsonNode body) {
        JsonNode request = RequestFields.object(body);
        String tag = tag(request);
        CreateMemories.Created created =
                createMemories.create(caller.get().orgId(), tag, MemoryRequests.newMemories(request));
        Instant now = clock.instant();
        return RestResponse.status(
                Response.Status.CREATED,
                new Responses.Created(
                        created.documentId(),
                        created.memories().stream()
                                .map(m -> MemoryView.of(m, now))
                                .toList()));
    }

    /** A new version of the memory named by {@code id} or exact {@code content} (the SDK's {@code updateMemory}). */
    @PATCH
    public MemoryView update(JsonNode body) {
        JsonNode request = RequestFields.object(body);
        String tag = tag(request);
        String newContent =
                RequestFields.text(request.get("newContent"), "newContent", true, MemoryRequests.MAX_CONTENT);
        Memory updated = updateMemory.update(
                caller.get().orgId(), tag, MemoryRequests.target(request), newContent, MemoryRequests.changes(request));
        return MemoryView.of(updated, clock.instant());
    }

    /** Forgets the memory named by {@code id} or exact {@code content} (the SDK's {@code forget}). */
    @DELETE
    public Responses.Forgotten forget(JsonNode body) {
        JsonNode request = RequestFields.object(body);
        String tag = tag(request);
        String reason = RequestFields.text(request.get("reason"), "reason", false, MemoryRequests.MAX_REASON);
        Memory forgotten = forgetMemory.forget(caller.get().orgId(), tag, MemoryRequests.target(request), reason);
        return new Responses.Forgotten(forgotten.id(), true);
    }

    /** A page of memories with their history, relations and source documents. */
    @POST
    @Path("/list")
    public Responses.Listed list(JsonNode body) {
        ListQuery query = MemoryRequests.listQuery(body);
        query = query.withContainerTags(caller.get().tags(query.containerTags(), "containerTags"));
        ListMemories.Page page = listMemories.list(caller.get().orgId(), query);
        Instant now = clock.instant();
        List<MemoryEntryView> entries =
                page.entries().stream().map(e -> MemoryEntryView.of(e, now)).toList();
        long totalPages = (page.totalItems() + query.limit() - 1) / query.limit();
        return new Responses.Listed(
                entries, new Responses.Pagination(query.page(), query.limit(), page.totalItems(), totalPages));
    }

    /** Forgets (or, in a dry run, lists) the memories matching a query or named by id. */
    @POST
    @Path("/forget-matching")
    public Responses.ForgetMatching forgetMatching(JsonNode body) {
        JsonNode fields = RequestFields.object(body);
        ForgetMatchingRequest request = MemoryRequests.forgetMatching(fields, tag(fields));
        ForgetMatching.Outcome outcome = forgetMatching.forget(caller.get().orgId(), request.containerTag(), request);
        if (request.dryRun()) {
            return new Responses.ForgetMatching(
                    outcome.candidates().stream()
                            .map(c -> new Responses.Candidate(
                                    c.memory().id(), c.memory().memory(), c.similarity()))
                            .toList(),
                    0,
                    null,
                    true);
        }
        return new Responses.ForgetMatching(null, outcome.forgottenIds().size(), outcome.forgottenIds(), false);
    }

    /**
     * The request's {@code containerTag}: required of an unscoped key; a scoped key may leave it out (its own tag) and
     * may not name another (403).
     */
    private String tag(JsonNode request) {
        Caller who = caller.get();
        JsonNode named = request.get("containerTag");
        if (who.scoped() && RequestFields.missing(named)) {
            return who.containerTag();
        }
        return who.tag(RequestFields.containerTag(named, "containerTag"), "containerTag");
    }
}
