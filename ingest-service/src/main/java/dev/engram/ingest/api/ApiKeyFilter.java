package dev.engram.ingest.api;

import dev.engram.core.api.RateLimitedError;
import dev.engram.core.auth.KeyGate;
import dev.engram.core.text.StorableText;
import dev.engram.ingest.auth.RequestCaller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every Memory API request by its {@code Authorization: Bearer <key>}: the bootstrap key from
 * configuration or a key stored in {@code ingest.api_keys}. Then a scoped key is held to its endpoints, and a key with
 * a rate limit is counted (429 with {@code Retry-After} past it). The caller is left in {@link RequestCaller} for the
 * resources. Health endpoints ({@code /q/health*}) are not REST resources and stay open.
 *
 * <p>The decision is {@link KeyGate}'s, shared with the other services; this filter only answers it.
 */
public final class ApiKeyFilter {

    @Inject
    KeyGate gate;

    @Inject
    RequestCaller requestCaller;

    /** A path or query holding text no stored value can have (an id with NUL, say) is a 400 before anything else. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 1)
    public RestResponse<?> storableRequestLine(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        return StorableText.inRequestLine(uri.getPath(), uri.getQueryParameters())
                .map(details -> ApiExceptionMappers.error(Response.Status.BAD_REQUEST, "Invalid request", details))
                .orElse(null);
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<RestResponse<?>> authenticate(ContainerRequestContext request) {
        return Uni.createFrom()
                .completionStage(() -> gate.admit(
                        request.getHeaderString(HttpHeaders.AUTHORIZATION),
                        request.getUriInfo().getPath()))
                .map(this::answer);
    }

    /** No answer for an admitted request (the caller is left for the resources), else the refusal. */
    private RestResponse<?> answer(KeyGate.Verdict verdict) {
        return switch (verdict) {
            case KeyGate.Verdict.Admitted admitted -> {
                requestCaller.set(admitted.caller());
                yield null;
            }
            case KeyGate.Verdict.Refused refused ->
                ApiExceptionMappers.error(
                        Response.Status.fromStatusCode(refused.status()), refused.error(), refused.details());
            case KeyGate.Verdict.Limited limited ->
                RestResponse.ResponseBuilder.create(
                                Response.Status.TOO_MANY_REQUESTS,
                                RateLimitedError.of(
                                        limited.limit().maxRequests(),
                                        limited.limit().window().toMillis(),
                                        limited.retryAfterSeconds()))
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()))
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .build();
        };
    }
}
