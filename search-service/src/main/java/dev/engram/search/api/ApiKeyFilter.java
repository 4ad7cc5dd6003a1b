package dev.engram.search.api;

import dev.engram.core.api.ApiError;
import dev.engram.search.config.AuthConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <key>} on the search API, as ingest-service and memory-writer do: the one
 * accepted key is the installation's bootstrap key ({@code engram.auth.bootstrap-key}); without one configured,
 * every request is refused. Health endpoints ({@code /q/health*}) are not REST resources and stay open.
 */
public final class ApiKeyFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    AuthConfig auth;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<RestResponse<ApiError>> authenticate(ContainerRequestContext request) {
        Optional<String> configured = auth.bootstrapKey().filter(key -> !key.isBlank());
        if (configured.isEmpty()) {
            return Optional.of(unauthorized("No API key is configured on this server (engram.auth.bootstrap-key)."));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(unauthorized("Send the API key as 'Authorization: Bearer <key>'."));
        }
        byte[] presented = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, configured.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(unauthorized("The API key is not valid."));
        }
        return Optional.empty();
    }

    private static RestResponse<ApiError> unauthorized(String details) {
        return ApiExceptionMappers.error(Response.Status.UNAUTHORIZED, "Unauthorized", details);
    }
}
