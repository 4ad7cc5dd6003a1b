package dev.engram.testsupport;

import dev.engram.embedded.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at a real Kafka broker ({@link EmbeddedKafka}): one broker per test JVM, started on
 * first use, kept across test classes and test profiles, stopped when the JVM exits; its data lives in a temporary
 * folder deleted then.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
 * class DocumentPublisherTest { ... }
 * }</pre>
 *
 * <p>Tests of broker outages stop and restart it through {@link #broker()}; {@link #start()} restarts a broker that
 * an earlier test left stopped. Topics are not created automatically: the code that owns a topic creates it.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** The configuration key this resource sets, read by SmallRye Reactive Messaging's Kafka connector. */
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    private static final JvmWideServer<EmbeddedKafka> BROKER = new JvmWideServer<>(
            "kafka",
            KafkaTestResource::startBroker,
            kafka -> Map.of(
                    "dataDir", kafka.dataDir().toString(),
                    "port", Integer.toString(kafka.port()),
                    "controllerPort", Integer.toString(kafka.controllerPort())),
            EmbeddedKafka::restart);

    /** Creates the resource; Quarkus calls this. */
    public KafkaTestResource() {}

    /**
     * The broker of this test JVM, started if it was not yet. Its address stays the same for the whole JVM, across
     * {@link EmbeddedKafka#stop()} / {@link EmbeddedKafka#restart()} and test profiles.
     */
    public static EmbeddedKafka broker() {
        return BROKER.get();
    }

    /** Ensures the broker runs and returns {@value #BOOTSTRAP_SERVERS}. */
    @Override
    public Map<String, String> start() {
        EmbeddedKafka kafka = broker();
        kafka.restart();
        return Map.of(BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    }

    /** Leaves the broker running for the next test class; it is stopped at JVM exit. */
    @Override
    public void stop() {}

    private static EmbeddedKafka startBroker(Map<String, String> previous) {
        Path dataDir = previous.containsKey("dataDir")
                ? Path.of(previous.get("dataDir"))
                : TestInfrastructure.newDataDir("kafka");
        return EmbeddedKafka.start(new EmbeddedKafka.Options(
                dataDir,
                Integer.parseInt(previous.getOrDefault("port", "0")),
                Integer.parseInt(previous.getOrDefault("controllerPort", "0"))));
    }
}
