package dev.engram.router.messaging;

import dev.engram.core.kafka.TopicProvisioner;
import dev.engram.core.kafka.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates the topic this service produces, from the shared catalogue, before messaging starts (no auto-creation). */
@ApplicationScoped
public class KafkaTopicsSetup {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Replication factor of topics created here: 1 on one machine, 3 on a cluster. */
    @ConfigProperty(name = "engram.kafka.replication-factor", defaultValue = "1")
    short replicationFactor;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        new TopicProvisioner(bootstrapServers, replicationFactor, Duration.ofSeconds(30))
                .ensure(Topics.named(List.of(Topics.CONVERSATIONS)));
    }
}
