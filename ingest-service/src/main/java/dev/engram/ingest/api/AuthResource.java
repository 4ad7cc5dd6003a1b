package dev.engram.ingest.api;

import dev.engram.core.auth.Caller;
import dev.engram.core.auth.RateLimit;
import dev.engram.core.auth.ScopedEndpoints;
import dev.engram.core.documents.ContainerTags;
import dev.engram.ingest.auth.ApiKeyAdmin;
import dev.engram.ingest.auth.RequestCaller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * API keys and organisations. {@code POST /v3/auth/scoped-key} and {@code DELETE /v3/auth/scoped-key/{id}} are
 * Supermemory's; the rest are Engram's: {@code GET /v3/auth/key} (who the presented key is), {@code GET/POST
 * /v3/auth/keys}, {@code DELETE /v3/auth/keys/{id}} and {@code POST /v3/orgs} (bootstrap key only).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,49}$");

    /** Body of {@code POST /v3/auth/scoped-key}; loosely typed so a wrong type is reported with the field's name. */
    public record ScopedKeyRequest(
            Object containerTag, Object name, Object expiresInDays, Object rateLimitMax, Object rateLimitTimeWindow) {}

    /** Body of {@code POST /v3/auth/keys}. */
    public record AdminKeyRequest(Object name) {}

    /** Body of {@code POST /v3/orgs}. */
    public record OrgRequest(Object name, Object slug) {}

    @Inject
    ApiKeyAdmin admin;

    @Inject
    RequestCaller caller;

    /** A key that reaches only {@code containerTag}, and only the scoped endpoints. */
    @POST
    @Path("v3/auth/scoped-key")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> createScoped(ScopedKeyRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with containerTag is required");
        }
        String tag = text(request.containerTag(), "containerTag", true);
        ContainerTags.problem(tag).ifPresent(problem -> {
            throw new InvalidRequestException("containerTag", problem);
        });
        String name = text(request.name(), "name", false);
        Integer days = integer(request.expiresInDays(), "expiresInDays", 1, 365);
        Integer max = integer(request.rateLimitMax(), "rateLimitMax", 1, 10_000);
        Integer window = integer(request.rateLimitTimeWindow(), "rateLimitTimeWindow", 1, 3_600_000);
        RateLimit limit = new RateLimit(
                max == null ? RateLimit.SCOPED_DEFAULT.maxRequests() : max,
                window == null ? RateLimit.SCOPED_DEFAULT.window() : Duration.ofMillis(window));
        return admin.createScoped(caller.get(), tag, name == null ? "scoped_" + tag : name, days, limit)
                .map(created -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("key", created.key());
                    body.put("id", created.info().id());
                    body.put("name", created.info().name());
                    body.put("containerTag", created.info().containerTag());
                    body.put("expiresAt", created.info().expiresAt());
                    body.put("rateLimitMax", created.info().rateLimitMax());
                    body.put("rateLimitTimeWindow", created.info().rateLimitTimeWindow());
                    body.put("allowedEndpoints", ScopedEndpoints.PREFIXES);
                    return body;
                });
    }

    /** Revokes a scoped key of the caller's organisation; it answers 401 from then on. */
    @DELETE
    @Path("v3/auth/scoped-key/{id}")
    public Uni<Map<String, Object>> revokeScoped(@PathParam("id") String id) {
        return admin.revoke(caller.get(), id, true).map(AuthResource::revoked);
    }

    /** Who the presented key is: its organisation, role, tag and limit (the router asks this). */
    @GET
    @Path("v3/auth/key")
    public Map<String, Object> whoAmI() {
        Caller who = caller.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", who.keyId());
        body.put("orgId", who.orgId());
        body.put("role", who.role().storedName());
        body.put("containerTag", who.containerTag());
        body.put(
                "rateLimitMax", who.rateLimit() == null ? null : who.rateLimit().maxRequests());
        body.put(
                "rateLimitTimeWindow",
                who.rateLimit() == null ? null : who.rateLimit().window().toMillis());
        return body;
    }

    /** The organisation's keys (hints only). */
    @GET
    @Path("v3/auth/keys")
    public Uni<Map<String, Object>> list() {
        return admin.list(caller.get()).map(keys -> Map.of("keys", keys));
    }

    /** A new admin key of the caller's organisation, returned once. */
    @POST
    @Path("v3/auth/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> createAdmin(AdminKeyRequest request) {
        String name = request == null ? null : text(request.name(), "name", false);
        return admin.createAdmin(caller.get(), name == null ? "admin" : name).map(created -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("key", created.key());
            body.putAll(Map.of("id", created.info().id(), "name", created.info().name(), "role", "admin"));
            return body;
        });
    }

    /** Revokes any key of the caller's organisation. */
    @DELETE
    @Path("v3/auth/keys/{id}")
    public Uni<Map<String, Object>> revoke(@PathParam("id") String id) {
        return admin.revoke(caller.get(), id, false).map(AuthResource::revoked);
    }

    /** A new organisation and its first admin key (bootstrap key only). */
    @POST
    @Path("v3/orgs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> createOrg(OrgRequest request) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with name is required");
        }
        String name = text(request.name(), "name", true);
        String slug = text(request.slug(), "slug", false);
        if (slug == null) {
            slug = name.toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("^-+|-+$", "");
            slug = slug.isEmpty() ? "org" : slug.substring(0, Math.min(50, slug.length()));
        }
        if (!SLUG.matcher(slug).matches()) {
            throw new InvalidRequestException(
                    "slug", "must be 1 to 50 of a-z, 0-9 and '-', starting with a letter or digit");
        }
        return admin.createOrg(caller.get(), name, slug).map(org -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", org.id());
            body.put("slug", org.slug());
            body.put("name", org.name());
            body.put("createdAt", org.createdAt());
            body.put("key", org.adminKey().key());
            body.put("keyId", org.adminKey().info().id());
            return body;
        });
    }

    private static Map<String, Object> revoked(ApiKeyAdmin.KeyInfo key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", key.id());
        body.put("revoked", true);
        body.put("revokedAt", key.revokedAt());
        return body;
    }

    private static String text(Object value, String field, boolean required) {
        if (value == null) {
            if (required) {
                throw new InvalidRequestException(field, "is required");
            }
            return null;
        }
        if (!(value instanceof String string) || string.isBlank()) {
            throw new InvalidRequestException(field, "must be a non-empty string");
        }
        if (string.length() > 100) {
            throw new InvalidRequestException(field, "must be at most 100 characters");
        }
        return string;
    }

    private static Integer integer(Object value, String field, int min, int max) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new InvalidRequestException(field, "must be a whole number from " + min + " to " + max);
        }
        long number = ((Number) value).longValue();
        if (number < min || number > max) {
            throw new InvalidRequestException(field, "must be from " + min + " to " + max + ", was " + number);
        }
        return (int) number;
    }
}
