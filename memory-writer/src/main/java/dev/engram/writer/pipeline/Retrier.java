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
 * Runs a step, retrying retriable failures with doubling back-off (capped), bounded both in attempts and in time. What
 * is still failing then, or fails permanently, is thrown as a {@link StageFailure}.
 *
 * <p>While PostgreSQL is unreachable ({@link Failures#isDatabaseOutage}) only the time bound applies: every document
 * of a batch needs the database, so retrying a few times within two seconds failed the whole batch on a five-second
 * restart of PostgreSQL, while waiting it out loses nothing. Other retriable failures (a URL that answers 503, an
 * embedding endpoint timing out) are the document's own and keep the attempt bound, so they do not hold the batch up.
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
                boolean attemptsLeft = attempt < retry.maxAttempts() || Failures.isDatabaseOutage(e);
                if (!failure.retriable() || !attemptsLeft || !timeLeft) {
                    throw failure;
                }
                LOG.debugf(
                        "%s attempt %d failed (%s), retrying in %d ms",
                        stage, attempt, failure.reason(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(retry.maxBackoff()) > 0) {
                    backoff = retry.maxBackoff();
                }
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
