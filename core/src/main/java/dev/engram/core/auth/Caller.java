package dev.engram.core.auth;

import java.util.List;
import java.util.Objects;

/**
 * Who is calling: the key that authenticated the request and what it may reach. Resources ask it for the
 * organisation to read and write, and for the container tag(s) a request may touch.
 *
 * @param keyId the key's id ({@code key_bootstrap} for the bootstrap key)
 * @param orgId the organisation every read and write is confined to
 * @param role what the key may do
 * @param containerTag the one tag of a {@link KeyRole#SCOPED} key; {@code null} otherwise
 * @param rateLimit the key's limit, or {@code null} for none
 */
public record Caller(String keyId, String orgId, KeyRole role, String containerTag, RateLimit rateLimit) {

    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(role, "role");
        if ((role == KeyRole.SCOPED) != (containerTag != null)) {
            throw new IllegalArgumentException("a scoped caller, and only a scoped caller, has a container tag");
        }
    }

    /** The caller a stored key stands for. */
    public static Caller of(StoredKey key) {
        return new Caller(key.id(), key.orgId(), key.role(), key.containerTag(), key.rateLimit());
    }

    public boolean scoped() {
        return role == KeyRole.SCOPED;
    }

    /**
     * The tag a request that names {@code requested} in {@code field} may use: {@code requested} itself for an
     * unscoped key (possibly {@code null}: the endpoint's default applies), the key's tag for a scoped key that named
     * none or its own.
     *
     * @throws ScopeViolationException if a scoped key names another tag
     */
    public String tag(String requested, String field) {
        if (!scoped() || requested == null || requested.isEmpty() || requested.equals(containerTag)) {
            return scoped() ? containerTag : requested;
        }
        throw outside(field, requested);
    }

    /**
     * The tags a request that lists {@code requested} in {@code field} may use: the list itself for an unscoped key,
     * the key's one tag for a scoped key that listed none or only its own.
     *
     * @throws ScopeViolationException if a scoped key lists another tag
     */
    public List<String> tags(List<String> requested, String field) {
        if (!scoped()) {
            return requested;
        }
        if (requested != null) {
            for (String tag : requested) {
                if (!containerTag.equals(tag)) {
                    throw outside(field, tag);
                }
            }
        }
        return List.of(containerTag);
    }

    /** Whether this caller may see something filed under {@code tags}: always unless scoped to another tag. */
    public boolean reaches(List<String> tags) {
        return !scoped() || (tags != null && tags.contains(containerTag));
    }

    /**
     * Throws unless this caller may call {@code path}.
     *
     * @throws ScopeViolationException for a scoped key outside {@link ScopedEndpoints}
     */
    public void checkEndpoint(String path) {
        if (scoped() && !ScopedEndpoints.allows(path)) {
            throw new ScopeViolationException("A scoped API key can call only "
                    + String.join(", ", ScopedEndpoints.PREFIXES) + "; not " + path + ".");
        }
    }

    /**
     * Throws unless this caller may administer its organisation (keys, settings, container tags).
     *
     * @throws ScopeViolationException for a scoped key
     */
    public void checkAdmin(String what) {
        if (scoped()) {
            throw new ScopeViolationException("A scoped API key cannot " + what + ".");
        }
    }

    private ScopeViolationException outside(String field, String requested) {
        return new ScopeViolationException("This API key is scoped to container tag '" + containerTag + "'; '" + field
                + "' names '" + requested + "'.");
    }
}
