package dev.engram.router.messaging;

import dev.engram.core.events.ConversationEvent;
import dev.engram.core.json.EventJson;
import dev.engram.router.config.RouterConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the turns of finished exchanges to {@code engram.conversations.v1}, keyed by container tag, after the
 * answer reached the client. Each publication waits for the broker's acknowledgement (retried with back-off within
 * {@code router.conversations.send-timeout}; the event id stays the same, so a retry is a redelivery the writer
 * ignores). At most {@code router.conversations.max-in-flight} publications wait at once: a request is given a slot
 * before its answer is passed on ({@link #reserve()}), and one that gets none is answered without storing its turns
 * and says so, so a slow broker sheds memory writes instead of piling them up in the router.
 */
@ApplicationScoped
public class ConversationPublisher {

    private static final Logger LOG = Logger.getLogger(ConversationPublisher.class);

    @Inject
    @Channel(Channels.CONVERSATIONS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Inject
    RouterConfig config;

    private final AtomicLong lost = new AtomicLong();
    private PublicationSlots slots;

    @PostConstruct
    void init() {
        slots = new PublicationSlots(config.conversations().maxInFlight());
    }

    /** Takes a publication slot; {@code false} when all are taken (then nothing is to be published or released). */
    public boolean reserve() {
        return slots.tryTake();
    }

    /** Gives back a slot taken by {@link #reserve()} that is not used (say, the provider answered an error). */
    public void release() {
        slots.giveBack();
    }

    /**
     * Publishes one event in a slot taken by {@link #reserve()} and gives the slot back once the broker acknowledged
     * it or the send timeout passed.
     *
     * @return completes when the broker acknowledged the event; fails when it did not within the send timeout
     */
    public Uni<Void> publish(ConversationEvent event) {
        Duration timeout = config.conversations().sendTimeout();
        Message<String> message = Message.of(EventJson.write(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.containerTag())
                        .build());
        return Uni.createFrom()
                .deferred(() -> emitter.sendMessage(message))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .expireIn(timeout.toMillis())
                .onTermination()
                .invoke(this::release)
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "conversation %s (%d turns) not stored: %s; %d lost so far",
                        event.conversationId(),
                        event.messages().size(),
                        failure.getClass().getSimpleName(),
                        lost.incrementAndGet()));
    }

    /** Publications waiting for the broker now. */
    public int inFlight() {
        return slots.taken();
    }
}
