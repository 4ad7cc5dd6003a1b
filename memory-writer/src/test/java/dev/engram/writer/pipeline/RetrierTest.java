package dev.engram.writer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.writer.config.WriterConfig;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Retrier}: attempts and time bound retries, and a PostgreSQL outage is waited out within the time bound. */
class RetrierTest {

    private static final SQLException REFUSED = new SQLException("Connection to 127.0.0.1:5432 refused.", "08001");

    @Test
    void databaseOutageIsRetriedPastTheAttemptBoundUntilItEnds() {
        Retrier retrier = retrier(4, Duration.ofSeconds(10));
        AtomicInteger calls = new AtomicInteger();

        String result = retrier.call(Stage.INDEXING, () -> {
            if (calls.incrementAndGet() <= 7) {
                throw REFUSED;
            }
            return "written";
        });

        assertThat(result).isEqualTo("written");
        assertThat(calls).hasValue(8);
    }

    @Test
    void otherRetriableFailuresKeepTheAttemptBound() {
        Retrier retrier = retrier(4, Duration.ofSeconds(10));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call(Stage.EXTRACTING, () -> {
                    calls.incrementAndGet();
                    throw new IOException("503 from the source");
                }))
                .isInstanceOfSatisfying(StageFailure.class, failure -> {
                    assertThat(failure.retriable()).isTrue();
                    assertThat(failure.stage()).isEqualTo(Stage.EXTRACTING);
                });
        assertThat(calls).hasValue(4);
    }

    @Test
    void databaseOutageLongerThanTheTimeBoundFailsTheStep() {
        Retrier retrier = retrier(4, Duration.ofMillis(300));
        AtomicInteger calls = new AtomicInteger();
        long started = System.nanoTime();

        assertThatThrownBy(() -> retrier.call(Stage.INDEXING, () -> {
                    calls.incrementAndGet();
                    throw REFUSED;
                }))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining("refused");
        assertThat(calls.get()).isGreaterThan(4);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void permanentFailureIsNotRetried() {
        Retrier retrier = retrier(4, Duration.ofSeconds(10));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call(Stage.INDEXING, () -> {
                    calls.incrementAndGet();
                    throw new SQLException("duplicate key", "23505");
                }))
                .isInstanceOfSatisfying(
                        StageFailure.class,
                        failure -> assertThat(failure.retriable()).isFalse());
        assertThat(calls).hasValue(1);
    }

    /** A retrier with 1 ms first back-off capped at 20 ms. */
    private static Retrier retrier(int maxAttempts, Duration maxDuration) {
        WriterConfig.Retry retry = new WriterConfig.Retry() {
            @Override
            public int maxAttempts() {
                return maxAttempts;
            }

            @Override
            public Duration maxDuration() {
                return maxDuration;
            }

            @Override
            public Duration initialBackoff() {
                return Duration.ofMillis(1);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofMillis(20);
            }
        };
        Retrier retrier = new Retrier();
        retrier.config = (WriterConfig) Proxy.newProxyInstance(
                WriterConfig.class.getClassLoader(), new Class<?>[] {WriterConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("retry")) {
                        return retry;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        retrier.clock = Clock.systemUTC();
        return retrier;
    }
}
