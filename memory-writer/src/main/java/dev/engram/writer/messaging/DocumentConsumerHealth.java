package dev.engram.writer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the {@link DocumentConsumer}'s loop runs; it stops only on a failure that needs a restart. */
@Readiness
@ApplicationScoped
public class DocumentConsumerHealth implements HealthCheck {

    @Inject
    DocumentConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("document consumer")
                .status(consumer.running())
                .build();
    }
}
