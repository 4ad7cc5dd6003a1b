package dev.engram.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.deploy.gateway.Backend;
import dev.engram.deploy.gateway.BackendHealth;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessWaitTest {

    private static final Backend INGEST = new Backend("ingest-service", "127.0.0.1", 8081);
    private static final Backend SEARCH = new Backend("search-service", "127.0.0.1", 8082);

    @Test
    void isReadyOnceEveryAwaitedServiceAnswersReady() {
        AtomicInteger probes = new AtomicInteger();
        ReadinessWait wait = new ReadinessWait(
                () -> List.of(
                        new BackendHealth(INGEST, probes.incrementAndGet() >= 3, "probe " + probes.get()),
                        new BackendHealth(SEARCH, false, "not awaited")),
                Optional::empty,
                () -> false);

        ReadinessWait.Outcome outcome = wait.await(Set.of("ingest-service"), Duration.ofSeconds(10));

        assertThat(outcome).isInstanceOf(ReadinessWait.Outcome.Ready.class);
        assertThat(probes).hasValue(3);
    }

    @Test
    void givesUpAfterTheTimeoutNamingWhatIsNotReady() {
        ReadinessWait wait = new ReadinessWait(
                () -> List.of(new BackendHealth(INGEST, true, "UP"), new BackendHealth(SEARCH, false, "HTTP 503")),
                Optional::empty,
                () -> false);

        ReadinessWait.Outcome outcome = wait.await(Set.of("ingest-service", "search-service"), Duration.ofMillis(600));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        ReadinessWait.Outcome.TimedOut.class,
                        t -> assertThat(t.notReady())
                                .extracting(h -> h.backend().service())
                                .containsExactly("search-service"));
    }

    @Test
    void stopsWaitingWhenTheStackIsBeingStopped() {
        ReadinessWait wait =
                new ReadinessWait(() -> List.of(new BackendHealth(INGEST, false, "down")), Optional::empty, () -> true);

        assertThat(wait.await(Set.of("ingest-service"), Duration.ofMinutes(1)))
                .isInstanceOf(ReadinessWait.Outcome.Cancelled.class);
    }
}
