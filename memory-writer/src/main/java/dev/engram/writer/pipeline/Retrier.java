package dev.engram.writer.pipeline;

import dev.engram.writer.config.WriterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;

/**
 * Runs a step, retrying retriable failures with doubling back-off, bounded both in attempts and in time. What is
 * still failing then, or fails permanently, is thrown as a {@link StageFailure}.
 */
@ApplicationScoped
public class Retrier {

    private static final Logger LOG = Logger.getLogger(Retrier.class);

    @Inject
    WriterConfig config;

    @Inject
    Clock clock;

    public <T> T call(Stage stage, Callable<T> step) {
        WriterConfig.Retry retry = config.retry();
        Instant deadline = clock.instant().plus(retry.maxDuration());
        Duration backoff = retry.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return step.call();
            } catch (Exception e) {
                StageFailure failure = Failures.of(stage, e);
                boolean timeLeft = clock.instant().plus(backoff).isBefore(deadline);
                if (!failure.retriable() || attempt >= retry.maxAttempts() || !timeLeft) {
                    throw failure;
                }
                LOG.debugf(
                        "%s attempt %d failed (%s), retrying in %d ms",
                        stage, attempt, failure.reason(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure(Stage.PARSING, true, "interrupted", e);
        }
    }
}
