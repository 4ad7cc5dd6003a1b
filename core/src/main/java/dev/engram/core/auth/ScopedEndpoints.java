package dev.engram.core.auth;

import java.util.List;

/**
 * The endpoints a {@link KeyRole#SCOPED} key reaches, as Supermemory documents them: {@code /v3/documents},
 * {@code /v3/memories}, {@code /v4/memories}, {@code /v3/search}, {@code /v4/search}, {@code /v4/profile} and
 * everything below them. Engram adds {@code GET /v3/auth/key} (a key may always ask who it is; the Memory Router
 * asks it for every caller), {@code /v4/conversations} (held to the key's tag like the rest; the router stores and
 * backfills conversations there) and the Memory Router itself, whose user scope is the container tag.
 */
public final class ScopedEndpoints {

    /** The path prefixes, each matched whole segment by segment. */
    public static final List<String> PREFIXES =
            List.of("/v3/documents", "/v3/memories", "/v4/memories", "/v3/search", "/v4/search", "/v4/profile");

    /** Engram's own path prefixes a scoped key reaches. */
    public static final List<String> ENGRAM_PREFIXES = List.of("/v4/conversations");

    /** Engram's own paths a scoped key reaches, matched exactly. */
    public static final List<String> EXACT = List.of("/v3/auth/key");

    private static final List<String> ALL_PREFIXES = java.util.stream.Stream.concat(
                    PREFIXES.stream(), ENGRAM_PREFIXES.stream())
            .toList();

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
        for (String prefix : ALL_PREFIXES) {
            if (normalised.equals(prefix)
                    || (normalised.startsWith(prefix) && normalised.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
