package dev.engram.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final RateLimiter limiter = new RateLimiter(nanos::get);
    private final RateLimit threePerMinute = new RateLimit(3, Duration.ofMinutes(1));

    @Test
    void admitsTheLimitPerWindowThenSaysHowLongToWait() {
        assertThat(limiter.acquire("k", threePerMinute)).isZero();
        assertThat(limiter.acquire("k", threePerMinute)).isZero();
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(limiter.acquire("k", threePerMinute)).isZero();

        assertThat(limiter.acquire("k", threePerMinute)).isEqualTo(40);
        nanos.addAndGet(Duration.ofMillis(39_500).toNanos());
        assertThat(limiter.acquire("k", threePerMinute)).isEqualTo(1);

        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.acquire("k", threePerMinute)).as("a new window").isZero();
    }

    @Test
    void keysCountSeparately() {
        RateLimit one = new RateLimit(1, Duration.ofSeconds(5));
        assertThat(limiter.acquire("a", one)).isZero();
        assertThat(limiter.acquire("b", one)).isZero();
        assertThat(limiter.acquire("a", one)).isEqualTo(5);
        assertThat(limiter.trackedKeys()).isEqualTo(2);
    }
}
