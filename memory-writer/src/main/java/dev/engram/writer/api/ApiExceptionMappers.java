package dev.engram.writer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.engram.core.api.ApiError;
import dev.engram.core.auth.ScopeViolationException;
import dev.engram.core.embedding.EmbeddingException;
import dev.engram.core.json.UnstorableTextException;
import dev.engram.core.vectors.VectorStoreException;
import dev.engram.writer.memories.MemoryConflictException;
import dev.engram.writer.memories.MemoryNotFoundException;
import dev.engram.writer.memories.MemoryStorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures of the memory API into Supermemory-shaped {@code {"error", "details"}} bodies. */
public final class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public RestResponse<ApiError> invalidRequest(InvalidRequestException e) {
        return error(Response.Status.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    /** A scoped key named a container tag other than its own. */
    @ServerExceptionMapper
    public RestResponse<ApiError> forbidden(ScopeViolationException e) {
        return error(Response.Status.FORBIDDEN, "Forbidden", e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> notFound(MemoryNotFoundException e) {
        return error(Response.Status.NOT_FOUND, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> conflict(MemoryConflictException e) {
        return RestResponse.ResponseBuilder.create(Response.Status.CONFLICT, new ApiError("Conflict", e.getMessage()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("x-should-retry", "false")
                .build();
    }

    /** A body that is not JSON. */
    @ServerExceptionMapper
    public RestResponse<ApiError> malformedJson(JsonProcessingException e) {
        if (e instanceof UnstorableTextException unstorable) {
            return error(Response.Status.BAD_REQUEST, "Invalid request", unstorable.details());
        }
        return error(
                Response.Status.BAD_REQUEST,
                "Invalid request",
                "The body is not valid JSON: " + firstLine(e.getOriginalMessage()));
    }

    /** Mapped explicitly because Quarkus ships a more specific mapper with no body. */
    @ServerExceptionMapper
    public RestResponse<ApiError> mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        String details = e.getMessage() == null ? status.getReasonPhrase() : e.getMessage();
        return RestResponse.ResponseBuilder.<ApiError>create(status.getStatusCode())
                .entity(new ApiError(status.getReasonPhrase(), details))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /** The database, the model or the index is unavailable: retriable failures are 503, the others 500. */
    @ServerExceptionMapper
    public RestResponse<ApiError> storage(MemoryStorageException e) {
        return unavailable(e, e.retriable());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> embedding(EmbeddingException e) {
        return unavailable(e, e.retriable());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> vectors(VectorStoreException e) {
        return unavailable(e, e.retriable());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> unexpected(RuntimeException e) {
        LOG.error("memory request failed unexpectedly", e);
        return error(
                Response.Status.INTERNAL_SERVER_ERROR,
                "Internal error",
                "The request could not be completed; see the service log.");
    }

    static RestResponse<ApiError> error(Response.Status status, String error, String details) {
        return RestResponse.ResponseBuilder.create(status, new ApiError(error, details))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    private static RestResponse<ApiError> unavailable(RuntimeException e, boolean retriable) {
        if (retriable) {
            LOG.warnf("memory request failed, the client may retry: %s", e.getMessage());
            return error(
                    Response.Status.SERVICE_UNAVAILABLE,
                    "Service unavailable",
                    "A dependency of the memory store is unavailable; try again shortly.");
        }
        LOG.error("memory request failed", e);
        return error(
                Response.Status.INTERNAL_SERVER_ERROR,
                "Internal error",
                "The request could not be completed; see the service log.");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
