package dev.engram.core.auth;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What every Memory API service decides about a request's key, in one place: no key or a refused one is 401, a key
 * the store cannot vouch for right now is 503 (never 401), a scoped key outside its endpoints is 403, a key over its
 * rate limit is 429; anything else is admitted as its {@link Caller}. The services only turn the verdict into their
 * HTTP answer.
 *
 * <p>Thread-safe. Rate limits are counted here, in this process.
 */
public final class KeyGate {

    private static final System.Logger LOG = System.getLogger(KeyGate.class.getName());
    private static final String BEARER = "Bearer ";
    private static final String SEND_THE_KEY = "Send the API key as 'Authorization: Bearer <key>'.";

    /** The decision on one request. */
    public sealed interface Verdict {
        /** The key is good and may make this request. */
        record Admitted(Caller caller) implements Verdict {}

        /**
         * The request is refused.
         *
         * @param status 401, 403 or 503
         * @param error the short summary, e.g. {@code "Unauthorized"}
         * @param details why, safe to show the client
         */
        record Refused(int status, String error, String details) implements Verdict {}

        /** The key is over its limit; it may try again in {@code retryAfterSeconds}. */
        record Limited(RateLimit limit, long retryAfterSeconds) implements Verdict {}
    }

    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;

    public KeyGate(Authenticator authenticator, RateLimiter rateLimiter) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    }

    /**
     * The verdict on a request to {@code path} carrying the header {@code authorization} (may be null). The stage
     * never fails: a store that cannot be reached is a 503 verdict.
     */
    public CompletionStage<Verdict> admit(String authorization, String path) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return CompletableFuture.completedFuture(unauthorized(SEND_THE_KEY));
        }
        String key = authorization.substring(BEARER.length()).trim();
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(unauthorized(SEND_THE_KEY));
        }
        return authenticator
                .authenticate(key)
                .thenApply(outcome -> switch (outcome) {
                    case Authenticator.Outcome.Rejected rejected -> unauthorized(rejected.reason());
                    case Authenticator.Outcome.Authenticated authenticated -> admit(authenticated.caller(), path);
                })
                .exceptionally(failure -> {
                    LOG.log(System.Logger.Level.WARNING, "cannot verify an API key: " + failure);
                    return new Verdict.Refused(
                            503, "Service Unavailable", "The API key cannot be verified right now; try again.");
                });
    }

    private Verdict admit(Caller caller, String path) {
        try {
            caller.checkEndpoint(path);
        } catch (ScopeViolationException e) {
            return new Verdict.Refused(403, "Forbidden", e.getMessage());
        }
        if (caller.rateLimit() != null) {
            long wait = rateLimiter.acquire(caller.keyId(), caller.rateLimit());
            if (wait > 0) {
                return new Verdict.Limited(caller.rateLimit(), wait);
            }
        }
        return new Verdict.Admitted(caller);
    }

    private static Verdict unauthorized(String details) {
        return new Verdict.Refused(401, "Unauthorized", details);
    }
}
