package dev.engram.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KeyGateTest {

    private final String scopedKey = ApiKeys.generate();
    private final KeyStore store = hash -> CompletableFuture.completedFuture(
            hash.equals(ApiKeys.hash(scopedKey))
                    ? Optional.of(new StoredKey(
                            "key_s", "org_a", KeyRole.SCOPED, "t", new RateLimit(1, Duration.ofMinutes(1)), null, null))
                    : Optional.empty());
    private final KeyGate gate = new KeyGate(
            new Authenticator(store, Optional.of("boot"), Clock.systemUTC(), Duration.ZERO), new RateLimiter());

    private KeyGate.Verdict admit(String header, String path) {
        return gate.admit(header, path).toCompletableFuture().join();
    }

    @Test
    void eachKindOfRequestGetsItsVerdict() {
        assertThat(admit(null, "/v3/search"))
                .isEqualTo(new KeyGate.Verdict.Refused(
                        401, "Unauthorized", "Send the API key as 'Authorization: Bearer <key>'."));
        assertThat(admit("Bearer  ", "/v3/search")).isInstanceOf(KeyGate.Verdict.Refused.class);
        assertThat(admit("bearer boot", "/v3/settings")).isInstanceOf(KeyGate.Verdict.Admitted.class);
        assertThat(admit("Bearer " + ApiKeys.generate(), "/v3/search"))
                .isEqualTo(new KeyGate.Verdict.Refused(401, "Unauthorized", "The API key is not valid."));
        assertThat(((KeyGate.Verdict.Refused) admit("Bearer " + scopedKey, "/v3/settings")).status())
                .isEqualTo(403);
        assertThat(admit("Bearer " + scopedKey, "/v3/search")).isInstanceOf(KeyGate.Verdict.Admitted.class);
        assertThat(admit("Bearer " + scopedKey, "/v3/search")).isInstanceOf(KeyGate.Verdict.Limited.class);
    }

    @Test
    void aStoreThatCannotBeReachedIsA503NotA401() {
        KeyGate down = new KeyGate(
                new Authenticator(
                        hash -> CompletableFuture.failedFuture(new IllegalStateException("down")),
                        Optional.empty(),
                        Clock.systemUTC(),
                        Duration.ZERO),
                new RateLimiter());

        var verdict = down.admit("Bearer " + ApiKeys.generate(), "/v3/search")
                .toCompletableFuture()
                .join();

        assertThat(((KeyGate.Verdict.Refused) verdict).status()).isEqualTo(503);
    }
}
