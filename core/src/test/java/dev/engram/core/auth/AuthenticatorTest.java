package dev.engram.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.core.tenancy.Orgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Map<String, StoredKey> rows = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final KeyStore store = hash -> {
        lookups.incrementAndGet();
        return CompletableFuture.completedFuture(Optional.ofNullable(rows.get(hash)));
    };

    private Authenticator authenticator(Duration ttl) {
        return new Authenticator(store, Optional.of("the-bootstrap-key"), clock, ttl, nanos::get);
    }

    private Authenticator.Outcome check(Authenticator authenticator, String key) {
        return authenticator.authenticate(key).toCompletableFuture().join();
    }

    private String storeKey(KeyRole role, String tag, Instant expires, Instant revoked) {
        String key = ApiKeys.generate();
        rows.put(ApiKeys.hash(key), new StoredKey("key_" + rows.size(), "org_b", role, tag, null, expires, revoked));
        return key;
    }

    @Test
    void theBootstrapKeyIsTheRootOfTheDefaultOrganisationWithoutAskingTheStore() {
        var outcome = check(authenticator(Duration.ZERO), "the-bootstrap-key");

        assertThat(outcome).isInstanceOf(Authenticator.Outcome.Authenticated.class);
        Caller caller = ((Authenticator.Outcome.Authenticated) outcome).caller();
        assertThat(caller.role()).isEqualTo(KeyRole.ROOT);
        assertThat(caller.orgId()).isEqualTo(Orgs.DEFAULT);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aStoredKeyAuthenticatesAsItsOrganisationAndScope() {
        String key = storeKey(KeyRole.SCOPED, "user_1", null, null);

        var outcome = (Authenticator.Outcome.Authenticated) check(authenticator(Duration.ZERO), key);

        assertThat(outcome.caller().orgId()).isEqualTo("org_b");
        assertThat(outcome.caller().containerTag()).isEqualTo("user_1");
    }

    @Test
    void unknownRevokedAndExpiredKeysAreRejectedWithTheirReason() {
        Authenticator authenticator = authenticator(Duration.ZERO);
        String revoked = storeKey(KeyRole.ADMIN, null, null, NOW.minusSeconds(1));
        String expired = storeKey(KeyRole.ADMIN, null, NOW, null);
        String future = storeKey(KeyRole.ADMIN, null, NOW.plusSeconds(60), null);

        assertThat(check(authenticator, ApiKeys.generate()))
                .isEqualTo(new Authenticator.Outcome.Rejected("The API key is not valid."));
        assertThat(check(authenticator, "not-even-our-format"))
                .isEqualTo(new Authenticator.Outcome.Rejected("The API key is not valid."));
        assertThat(check(authenticator, revoked))
                .isEqualTo(new Authenticator.Outcome.Rejected("The API key was revoked."));
        assertThat(check(authenticator, expired)).isInstanceOf(Authenticator.Outcome.Rejected.class);
        assertThat(((Authenticator.Outcome.Rejected) check(authenticator, expired)).reason())
                .contains("expired");
        assertThat(check(authenticator, future)).isInstanceOf(Authenticator.Outcome.Authenticated.class);
    }

    @Test
    void answersAreReusedForTheTtlThenAskedAgainAndForgettingAsksAtOnce() {
        Authenticator authenticator = authenticator(Duration.ofSeconds(10));
        String key = storeKey(KeyRole.ADMIN, null, null, null);

        check(authenticator, key);
        check(authenticator, key);
        assertThat(lookups).hasValue(1);

        rows.put(ApiKeys.hash(key), new StoredKey("key_0", "org_b", KeyRole.ADMIN, null, null, null, NOW));
        assertThat(check(authenticator, key)).isInstanceOf(Authenticator.Outcome.Authenticated.class);

        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(check(authenticator, key)).isInstanceOf(Authenticator.Outcome.Rejected.class);
        assertThat(lookups).hasValue(2);

        authenticator.forget(ApiKeys.hash(key));
        check(authenticator, key);
        assertThat(lookups).hasValue(3);
    }

    @Test
    void aStoreThatCannotBeReachedFailsTheStageInsteadOfRejectingTheKey() {
        Authenticator authenticator = new Authenticator(
                hash -> CompletableFuture.failedFuture(new IllegalStateException("down")),
                Optional.empty(),
                clock,
                Duration.ZERO);

        assertThatThrownBy(() -> check(authenticator, ApiKeys.generate()))
                .isInstanceOf(CompletionException.class)
                .hasRootCauseMessage("down");
    }

    @Test
    void withoutBootstrapKeyOrStoreNothingIsAccepted() {
        Authenticator none = new Authenticator(null, Optional.of("  "), clock, Duration.ZERO);

        assertThat(none.acceptsAnyKey()).isFalse();
        assertThat(check(none, "  ")).isInstanceOf(Authenticator.Outcome.Rejected.class);
    }
}
