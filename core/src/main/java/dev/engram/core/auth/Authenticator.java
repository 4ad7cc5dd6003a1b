package dev.engram.core.auth;

import dev.engram.core.tenancy.Orgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a presented API key into a {@link Caller}, or a reason to refuse it.
 *
 * <p>The bootstrap key from configuration is compared in constant time and needs no store. Any other key is looked up
 * by its hash in the {@link KeyStore}; the answer, found or not, is kept for {@code cacheTtl} so a busy service does
 * not ask the store on every request. A key revoked elsewhere therefore keeps working here for at most that long; the
 * service that revokes it {@link #forget forgets} it at once.
 *
 * <p>Thread-safe.
 */
public final class Authenticator {

    /** The id the bootstrap key goes by. */
    public static final String BOOTSTRAP_KEY_ID = "key_bootstrap";

    private static final int MAX_CACHED = 10_000;

    /** What came of a presented key. */
    public sealed interface Outcome {
        /** The key is good. */
        record Authenticated(Caller caller) implements Outcome {}

        /** The key is not: unknown, revoked or expired, and why (safe to show the client). */
        record Rejected(String reason) implements Outcome {}
    }

    private record Cached(Optional<StoredKey> key, long loadedAt) {}

    private final KeyStore store;
    private final byte[] bootstrapKey;
    private final Clock clock;
    private final long ttlNanos;
    private final java.util.function.LongSupplier nanoTime;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param store where keys other than the bootstrap key are found, or {@code null} if only the bootstrap key is
     *     accepted
     * @param bootstrapKey the installation's bootstrap key, or empty
     * @param clock for expiry
     * @param cacheTtl how long a lookup's answer is reused; zero to ask the store every time
     */
    public Authenticator(KeyStore store, Optional<String> bootstrapKey, Clock clock, Duration cacheTtl) {
        this(store, bootstrapKey, clock, cacheTtl, System::nanoTime);
    }

    Authenticator(
            KeyStore store,
            Optional<String> bootstrapKey,
            Clock clock,
            Duration cacheTtl,
            java.util.function.LongSupplier nanoTime) {
        this.store = store;
        this.bootstrapKey = bootstrapKey
                .filter(key -> !key.isBlank())
                .map(key -> key.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttlNanos = Objects.requireNonNull(cacheTtl, "cacheTtl").toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether any key at all can succeed (a bootstrap key or a store). */
    public boolean acceptsAnyKey() {
        return bootstrapKey != null || store != null;
    }

    /**
     * Checks {@code presented}. The stage fails only if the store cannot be reached (the caller answers 503).
     */
    public CompletionStage<Outcome> authenticate(String presented) {
        Objects.requireNonNull(presented, "presented");
        if (bootstrapKey != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), bootstrapKey)) {
            return CompletableFuture.completedFuture(
                    new Outcome.Authenticated(new Caller(BOOTSTRAP_KEY_ID, Orgs.DEFAULT, KeyRole.ROOT, null, null)));
        }
        if (store == null || !presented.startsWith(ApiKeys.PREFIX)) {
            return CompletableFuture.completedFuture(new Outcome.Rejected("The API key is not valid."));
        }
        String hash = ApiKeys.hash(presented);
        long now = nanoTime.getAsLong();
        Cached cached = cache.get(hash);
        if (cached != null && now - cached.loadedAt() < ttlNanos) {
            return CompletableFuture.completedFuture(judge(cached.key()));
        }
        return store.findByKey(presented).thenApply(found -> {
            if (ttlNanos > 0) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(hash, new Cached(found, now));
            }
            return judge(found);
        });
    }

    /** Drops what is cached of the key with {@code hash}, so its next use asks the store (after a revocation). */
    public void forget(String hash) {
        cache.remove(hash);
    }

    private Outcome judge(Optional<StoredKey> found) {
        if (found.isEmpty()) {
            return new Outcome.Rejected("The API key is not valid.");
        }
        StoredKey key = found.get();
        if (key.revokedAt() != null) {
            return new Outcome.Rejected("The API key was revoked.");
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(clock.instant())) {
            return new Outcome.Rejected("The API key expired at " + key.expiresAt() + ".");
        }
        return new Outcome.Authenticated(Caller.of(key));
    }
}
