package dev.engram.deploy.stack;

import dev.engram.deploy.gateway.BackendHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits until every spawned service answers its readiness probe, failing fast when one exits and giving up
 * after a bounded time.
 */
public final class ReadinessWait {

    /** How it ended. */
    public sealed interface Outcome {
        /** Every service is ready. */
        record Ready(Duration took) implements Outcome {}

        /** A service exited before it was ready. */
        record Exited(ServiceProcess process) implements Outcome {}

        /** Not all ready in time. */
        record TimedOut(List<BackendHealth> notReady) implements Outcome {}

        /** The stack is being stopped. */
        record Cancelled() implements Outcome {}
    }

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final Supplier<List<BackendHealth>> health;
    private final Supplier<Optional<ServiceProcess>> exited;
    private final BooleanSupplier cancelled;

    /**
     * @param health probes every service (blocking)
     * @param exited a spawned service that has exited, if any
     * @param cancelled true once the stack is being stopped
     */
    public ReadinessWait(
            Supplier<List<BackendHealth>> health,
            Supplier<Optional<ServiceProcess>> exited,
            BooleanSupplier cancelled) {
        this.health = health;
        this.exited = exited;
        this.cancelled = cancelled;
    }

    /**
     * @param services the names of the services to wait for
     * @param timeout the longest to wait
     * @return how it ended
     */
    public Outcome await(Set<String> services, Duration timeout) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (true) {
            if (cancelled.getAsBoolean()) {
                return new Outcome.Cancelled();
            }
            Optional<ServiceProcess> dead = exited.get();
            if (dead.isPresent()) {
                return new Outcome.Exited(dead.get());
            }
            List<BackendHealth> notReady = health.get().stream()
                    .filter(h -> services.contains(h.backend().service()))
                    .filter(h -> !h.ready())
                    .toList();
            if (notReady.isEmpty()) {
                return new Outcome.Ready(Duration.between(start, Instant.now()));
            }
            if (Instant.now().isAfter(deadline)) {
                return new Outcome.TimedOut(notReady);
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Cancelled();
            }
        }
    }
}
