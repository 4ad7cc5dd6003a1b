package dev.engram.writer.api;

import dev.engram.core.api.ApiError;
import dev.engram.core.api.RateLimitedError;
import dev.engram.core.auth.Authenticator;
import dev.engram.core.auth.Caller;
import dev.engram.core.auth.RateLimiter;
import dev.engram.core.auth.ScopeViolationException;
import dev.engram.writer.auth.RequestCaller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every memory API request ({@code /v4/memories*}) by its {@code Authorization: Bearer <key>}, as
 * ingest-service does: the bootstrap key from configuration or a key stored in {@code ingest.api_keys}. Then a scoped
 * key is held to its endpoints, and a key with a rate limit is counted (429 with {@code Retry-After} past it; each
 * service counts on its own). The caller is left in {@link RequestCaller} for the resources. When the keys cannot be
 * read the answer is 503, never 401. Health endpoints ({@code /q/health*}) are not REST resources and stay open.
 *
 * <p>The resources are blocking, so this filter runs on a worker thread and the key lookup runs inline there.
 */
public final class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    private static final String BEARER = "Bearer ";

    @Inject
    Authenticator authenticator;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    RequestCaller requestCaller;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<RestResponse<?>> authenticate(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return done(unauthorized("Send the API key as 'Authorization: Bearer <key>'."));
        }
        String key = header.substring(BEARER.length()).trim();
        if (key.isEmpty()) {
            return done(unauthorized("Send the API key as 'Authorization: Bearer <key>'."));
        }
        String path = request.getUriInfo().getPath();
        return Uni.createFrom()
                .completionStage(() -> authenticator.authenticate(key))
                .map(outcome -> switch (outcome) {
                    case Authenticator.Outcome.Rejected rejected -> unauthorized(rejected.reason());
                    case Authenticator.Outcome.Authenticated authenticated -> admit(authenticated.caller(), path);
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf("cannot verify an API key: %s", failure.toString());
                    return ApiExceptionMappers.error(
                            Response.Status.SERVICE_UNAVAILABLE,
                            "Service Unavailable",
                            "The API key cannot be verified right now; try again.");
                });
    }

    private RestResponse<?> admit(Caller caller, String path) {
        try {
            caller.checkEndpoint(path);
        } catch (ScopeViolationException e) {
            return ApiExceptionMappers.error(Response.Status.FORBIDDEN, "Forbidden", e.getMessage());
        }
        if (caller.rateLimit() != null) {
            long wait = rateLimiter.acquire(caller.keyId(), caller.rateLimit());
            if (wait > 0) {
                return RestResponse.ResponseBuilder.create(
                                Response.Status.TOO_MANY_REQUESTS,
                                RateLimitedError.of(
                                        caller.rateLimit().maxRequests(),
                                        caller.rateLimit().window().toMillis(),
                                        wait))
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(wait))
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .build();
            }
        }
        requestCaller.set(caller);
        return null;
    }

    private static Uni<RestResponse<?>> done(RestResponse<?> response) {
        return Uni.createFrom().item(response);
    }

    private static RestResponse<ApiError> unauthorized(String details) {
        return ApiExceptionMappers.error(Response.Status.UNAUTHORIZED, "Unauthorized", details);
    }
}
