package dev.engram.core.auth;

import java.time.Duration;

/**
 * At most {@code maxRequests} requests in each window of {@code window}.
 *
 * @param maxRequests requests allowed per window, at least 1
 * @param window length of a window, positive
 */
public record RateLimit(int maxRequests, Duration window) {

    /** Supermemory's default for scoped keys: 500 requests a minute. */
    public static final RateLimit SCOPED_DEFAULT = new RateLimit(500, Duration.ofMinutes(1));

    public RateLimit {
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be >= 1");
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
    }
}
