package dev.engram.ingest.health;

import dev.engram.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the outbox relay thread runs. Reads fields only; never blocks. */
@Liveness
@ApplicationScoped
public class OutboxRelayHealthCheck implements HealthCheck {

    @Inject
    OutboxRelay relay;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("outbox-relay")
                .status(relay.isAlive())
                .withData("relayed", relay.relayedCount())
                .withData("deadLettered", relay.deadLetteredCount());
        String lastError = relay.lastError();
        if (lastError != null) {
            response.withData("lastError", lastError);
        }
        return response.build();
    }
}
