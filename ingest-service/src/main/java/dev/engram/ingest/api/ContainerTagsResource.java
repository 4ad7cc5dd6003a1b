package dev.engram.ingest.api;

import dev.engram.core.auth.Caller;
import dev.engram.ingest.auth.RequestCaller;
import dev.engram.ingest.containertags.ContainerTagAdmin;
import dev.engram.ingest.containertags.MergeRunner;
import dev.engram.ingest.containertags.TagMerges;
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
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /v3/container-tags}: the organisation's container tags, their settings, deletion and merges. Admin keys
 * only (a scoped key is refused by the filter already). {@code list} and {@code merge} are path words, so a tag named
 * {@code list} cannot be read with {@code GET} here (it can be listed, changed and deleted).
 */
@Path("/v3/container-tags")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerTagsResource {

    /** Body of {@code POST /v3/container-tags/merge}; loosely typed so a wrong type is reported by field. */
    public record MergeRequest(Object containerTags, Object targetContainerTag) {}

    @Inject
    ContainerTagAdmin tags;

    @Inject
    TagMerges merges;

    @Inject
    MergeRunner runner;

    @Inject
    RequestCaller requestCaller;

    /** The organisation's tags by name, with settings and document counts; {@code page} from 1, {@code limit} ≤ 1000. */
    @GET
    @Path("/list")
    public Uni<Map<String, Object>> list(@RestQuery String page, @RestQuery String limit) {
        Caller caller = admin("list container tags");
        int pageNumber = number(page, "page", 1, Integer.MAX_VALUE, 1);
        int pageSize = number(limit, "limit", 1, ContainerTagAdmin.MAX_LIMIT, 100);
        return tags.list(caller.orgId(), pageNumber, pageSize);
    }

    /** One tag: {@code {containerTag, name, entityContext, memoryFilesystemPaths, documentCount, createdAt, updatedAt}}. */
    @GET
    @Path("/{containerTag}")
    public Uni<Map<String, Object>> get(@PathParam("containerTag") String tag) {
        return tags.get(admin("read container tags").orgId(), tag);
    }

    /** Changes a tag's {@code name}, {@code entityContext} or {@code memoryFilesystemPaths}. */
    @PATCH
    @Path("/{containerTag}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> update(@PathParam("containerTag") String tag, Map<String, Object> body) {
        return tags.update(admin("change container tags").orgId(), tag, body);
    }

    /** Deletes a tag and every document in it (with their chunks, vectors and memories). */
    @DELETE
    @Path("/{containerTag}")
    public Uni<Map<String, Object>> delete(@PathParam("containerTag") String tag) {
        return tags.delete(admin("delete container tags").orgId(), tag);
    }

    /** Queues a merge of {@code containerTags} into {@code targetContainerTag}: 202 with the merge id to poll. */
    @POST
    @Path("/merge")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Map<String, Object>>> merge(MergeRequest request) {
        Caller caller = admin("merge container tags");
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with containerTags and targetContainerTag");
        }
        return merges.queue(caller.orgId(), request.containerTags(), request.targetContainerTag())
                .map(merge -> {
                    runner.submit(merge.id());
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("success", true);
                    body.put("status", merge.status());
                    body.put("mergeId", merge.id());
                    body.put("targetTag", merge.targetTag());
                    body.put("sourceTags", merge.sourceTags());
                    return RestResponse.status(Response.Status.ACCEPTED, body);
                });
    }

    /** A merge's progress: {@code queued}, {@code running}, {@code done} or {@code failed}, with counts. */
    @GET
    @Path("/merge/{mergeId}")
    public Uni<Map<String, Object>> mergeStatus(@PathParam("mergeId") String mergeId) {
        return merges.status(admin("read container tag merges").orgId(), mergeId);
    }

    private Caller admin(String what) {
        Caller caller = requestCaller.get();
        caller.checkAdmin(what);
        return caller;
    }

    private static int number(String value, String field, int min, int max, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException(field, "must be a whole number from " + min + " to " + max);
    }
}
