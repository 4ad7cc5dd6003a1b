package dev.engram.core.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as stored (never the key itself).
 *
 * @param id the key's id, e.g. {@code key_…}
 * @param orgId the organisation it belongs to
 * @param role what it may do
 * @param containerTag the one tag a {@link KeyRole#SCOPED} key reaches; {@code null} otherwise
 * @param rateLimit its limit, or {@code null} for none
 * @param expiresAt when it stops working, or {@code null} for never
 * @param revokedAt when it was revoked, or {@code null}
 */
public record StoredKey(
        String id,
        String orgId,
        KeyRole role,
        String containerTag,
        RateLimit rateLimit,
        Instant expiresAt,
        Instant revokedAt) {

    public StoredKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(role, "role");
        if ((role == KeyRole.SCOPED) != (containerTag != null)) {
            throw new IllegalArgumentException("a scoped key, and only a scoped key, has a container tag");
        }
    }
}
