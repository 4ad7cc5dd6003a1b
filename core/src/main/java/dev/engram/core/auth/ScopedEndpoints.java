package dev.engram.core.auth;

import java.util.List;

/**
 * The endpoints a {@link KeyRole#SCOPED} key reaches, as Supermemory documents them: {@code /v3/documents},
 * {@code /v3/memories}, {@code /v4/memories}, {@code /v3/search}, {@code /v4/search}, {@code /v4/profile} and
 * everything below them. Engram adds {@code GET /v3/auth/key} (a key may always ask who it is; the Memory Router
 * asks it for every caller) and the Memory Router, whose user scope is the container tag and which checks the tag
 * itself.
 */
public final class ScopedEndpoints {

    /** The path prefixes, each matched whole segment by segment. */
    public static final List<String> PREFIXES =
            List.of("/v3/documents", "/v3/memories", "/v4/memories", "/v3/search", "/v4/search", "/v4/profile");

    /** Engram's own paths a scoped key reaches, matched exactly. */
    public static final List<String> EXACT = List.of("/v3/auth/key");

    private ScopedEndpoints() {}

    /** Whether a scoped key may call {@code path} (the request path, without query string). */
    public static boolean allows(String path) {
        if (path == null) {
            return false;
        }
        String normalised = path.startsWith("/") ? path : "/" + path;
        if (normalised.contains("/../") || normalised.endsWith("/..") || normalised.contains("//")) {
            return false;
        }
        if (EXACT.contains(normalised)) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (normalised.equals(prefix)
                    || (normalised.startsWith(prefix) && normalised.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
