package dev.engram.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.engram.core.api.ApiError;
import dev.engram.core.json.UnstorableTextException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns failures into Supermemory-shaped {@code {"error", "details"}} bodies. */
public final class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public RestResponse<ApiError> invalidRequest(InvalidRequestException e) {
        return error(Response.Status.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    /** A scoped key asked for another container tag or an endpoint it does not reach. */
    @ServerExceptionMapper
    public RestResponse<ApiError> forbidden(dev.engram.core.auth.ScopeViolationException e) {
        return error(Response.Status.FORBIDDEN, "Forbidden", e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> notFound(ResourceNotFoundException e) {
        return error(Response.Status.NOT_FOUND, "Not found", e.getMessage());
    }

    /** A body that is not JSON, or JSON of the wrong shape (e.g. an object where a string belongs). */
    @ServerExceptionMapper
    public RestResponse<ApiError> malformedJson(JsonProcessingException e) {
        if (e instanceof UnstorableTextException unstorable) {
            return error(Response.Status.BAD_REQUEST, "Invalid request", unstorable.details());
        }
        return error(
                Response.Status.BAD_REQUEST,
                "Invalid request",
                "The body is not valid JSON for this endpoint: " + firstLine(e.getOriginalMessage()));
    }

    /** JSON of the wrong shape; mapped explicitly because Quarkus ships a more specific mapper with no body. */
    @ServerExceptionMapper
    public RestResponse<ApiError> mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> webApplication(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response response = e.getResponse();
        Response.StatusType status = response.getStatusInfo();
        String details = e.getMessage() == null ? status.getReasonPhrase() : e.getMessage();
        return RestResponse.ResponseBuilder.<ApiError>create(status.getStatusCode())
                .entity(new ApiError(status.getReasonPhrase(), details))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /** A unique key taken by another document (e.g. a customId): a conflict that retrying will not solve. */
    @ServerExceptionMapper
    public RestResponse<ApiError> conflict(org.hibernate.exception.ConstraintViolationException e) {
        return RestResponse.ResponseBuilder.create(
                        Response.Status.CONFLICT,
                        new ApiError("Conflict", "Another document already uses this customId."))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("x-should-retry", "false")
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> conflict(ConflictException e) {
        return RestResponse.ResponseBuilder.create(Response.Status.CONFLICT, new ApiError("Conflict", e.getMessage()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("x-should-retry", "false")
                .build();
    }

    /**
     * Anything else: 503 with {@code Retry-After} when PostgreSQL cannot be reached (connection refused or lost, the
     * server shutting down or starting; nothing was stored), else 500. Checked exceptions too (a refused connection
     * arrives as one), so no failure leaves in Quarkus's own error shape.
     */
    @ServerExceptionMapper
    public RestResponse<ApiError> unexpected(Exception e) {
        if (dev.engram.ingest.messaging.DatabaseOutage.isUnavailable(e)) {
            LOG.warnf("request failed: the database is unavailable (%s)", e.toString());
            return RestResponse.ResponseBuilder.create(
                            Response.Status.SERVICE_UNAVAILABLE,
                            new ApiError(
                                    "Service unavailable",
                                    "The database cannot be reached right now; nothing was stored. Try again."))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Retry-After", "5")
                    .build();
        }
        LOG.error("request failed unexpectedly", e);
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

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
