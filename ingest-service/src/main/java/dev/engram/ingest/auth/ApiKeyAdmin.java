package dev.engram.ingest.auth;

import dev.engram.core.auth.ApiKeys;
import dev.engram.core.auth.Authenticator;
import dev.engram.core.auth.Caller;
import dev.engram.core.auth.KeyRole;
import dev.engram.core.auth.RateLimit;
import dev.engram.ingest.api.ConflictException;
import dev.engram.ingest.api.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creates, lists and revokes API keys and creates organisations. A key is returned once, when created; only its hash
 * and a hint are stored. Revoking a key stops it here at once (its cached lookup is dropped) and in the other services
 * within their lookup cache time.
 */
@ApplicationScoped
public class ApiKeyAdmin {

    /** A key as listed: never the key itself. */
    public record KeyInfo(
            String id,
            String name,
            String hint,
            String role,
            String containerTag,
            Integer rateLimitMax,
            Long rateLimitTimeWindow,
            Instant expiresAt,
            Instant revokedAt,
            Instant createdAt) {}

    /** A key just created, with the key itself. */
    public record NewKey(String key, KeyInfo info) {}

    /** An organisation just created, with its first admin key. */
    public record NewOrg(String id, String slug, String name, Instant createdAt, NewKey adminKey) {}

    @Inject
    Pool client;

    @Inject
    Authenticator authenticator;

    @Inject
    Clock clock;

    /** A key for one container tag of the caller's organisation. */
    public Uni<NewKey> createScoped(
            Caller caller, String containerTag, String name, Integer expiresInDays, RateLimit rateLimit) {
        caller.checkAdmin("create API keys");
        Instant expires = expiresInDays == null ? null : clock.instant().plus(Duration.ofDays(expiresInDays));
        return insert(client, caller.orgId(), name, KeyRole.SCOPED, containerTag, rateLimit, expires, caller.keyId());
    }

    /** A key for every endpoint and tag of the caller's organisation. */
    public Uni<NewKey> createAdmin(Caller caller, String name) {
        caller.checkAdmin("create API keys");
        return insert(client, caller.orgId(), name, KeyRole.ADMIN, null, null, null, caller.keyId());
    }

    /** The caller's organisation's keys, newest first. */
    public Uni<List<KeyInfo>> list(Caller caller) {
        caller.checkAdmin("list API keys");
        return client.preparedQuery("select id, name, key_hint, role, container_tag, rate_limit_max,"
                        + " rate_limit_window_ms, expires_at, revoked_at, created_at from ingest.api_keys"
                        + " where org_id = $1 order by created_at desc, id")
                .execute(Tuple.of(caller.orgId()))
                .map(rows -> {
                    List<KeyInfo> keys = new ArrayList<>();
                    for (Row row : rows) {
                        keys.add(info(row));
                    }
                    return keys;
                });
    }

    /**
     * Revokes a key of the caller's organisation ({@code onlyScoped}: only if it is a scoped key). Revoking a revoked
     * key changes nothing and answers as before.
     *
     * @throws ResourceNotFoundException (as the failure) if the organisation has no such key
     */
    public Uni<KeyInfo> revoke(Caller caller, String keyId, boolean onlyScoped) {
        caller.checkAdmin("revoke API keys");
        return client.preparedQuery("update ingest.api_keys set revoked_at = coalesce(revoked_at, $3)"
                        + " where org_id = $1 and id = $2" + (onlyScoped ? " and role = 'scoped'" : "")
                        + " returning id, name, key_hint, role, container_tag, rate_limit_max, rate_limit_window_ms,"
                        + " expires_at, revoked_at, created_at, key_hash")
                .execute(Tuple.of(caller.orgId(), keyId, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)))
                .map(rows -> {
                    var found = rows.iterator();
                    if (!found.hasNext()) {
                        throw new ResourceNotFoundException(
                                "No " + (onlyScoped ? "scoped " : "") + "API key with id '" + keyId + "'");
                    }
                    Row row = found.next();
                    authenticator.forget(row.getString("key_hash"));
                    return info(row);
                });
    }

    /**
     * A new organisation and its first admin key; only the bootstrap key may do this.
     *
     * @throws ConflictException (as the failure) if the slug is taken
     */
    public Uni<NewOrg> createOrg(Caller caller, String name, String slug) {
        if (caller.role() != KeyRole.ROOT) {
            throw new dev.engram.core.auth.ScopeViolationException(
                    "Only the installation's bootstrap key can create organisations.");
        }
        String id = "org_" + UUID.randomUUID().toString().replace("-", "");
        return client.withTransaction(tx -> tx.preparedQuery("insert into ingest.orgs (id, slug, name) values ($1,"
                        + " $2, $3) on conflict (slug) do nothing returning created_at")
                .execute(Tuple.of(id, slug, name))
                .flatMap(rows -> {
                    var created = rows.iterator();
                    if (!created.hasNext()) {
                        return Uni.createFrom()
                                .failure(new ConflictException(
                                        "slug", "an organisation with slug '" + slug + "' exists"));
                    }
                    Instant createdAt =
                            created.next().getOffsetDateTime("created_at").toInstant();
                    return insert(tx, id, "admin", KeyRole.ADMIN, null, null, null, caller.keyId())
                            .map(key -> new NewOrg(id, slug, name, createdAt, key));
                }));
    }

    private Uni<NewKey> insert(
            SqlClient sql,
            String orgId,
            String name,
            KeyRole role,
            String containerTag,
            RateLimit rateLimit,
            Instant expiresAt,
            String createdBy) {
        String key = ApiKeys.generate();
        String id = "key_" + UUID.randomUUID().toString().replace("-", "");
        Tuple values = Tuple.tuple()
                .addString(id)
                .addString(orgId)
                .addString(name)
                .addString(ApiKeys.hash(key))
                .addString(ApiKeys.hint(key))
                .addString(role.storedName())
                .addString(containerTag)
                .addInteger(rateLimit == null ? null : rateLimit.maxRequests())
                .addLong(rateLimit == null ? null : rateLimit.window().toMillis())
                .addOffsetDateTime(expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
                .addString(createdBy);
        return sql.preparedQuery("insert into ingest.api_keys (id, org_id, name, key_hash, key_hint, role,"
                        + " container_tag, rate_limit_max, rate_limit_window_ms, expires_at, created_by)"
                        + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                        + " returning id, name, key_hint, role, container_tag, rate_limit_max, rate_limit_window_ms,"
                        + " expires_at, revoked_at, created_at")
                .execute(values)
                .map(rows -> new NewKey(key, info(rows.iterator().next())));
    }

    private static KeyInfo info(Row row) {
        return new KeyInfo(
                row.getString("id"),
                row.getString("name"),
                row.getString("key_hint"),
                row.getString("role"),
                row.getString("container_tag"),
                row.getInteger("rate_limit_max"),
                row.getLong("rate_limit_window_ms"),
                instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("revoked_at")),
                instant(row.getOffsetDateTime("created_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
