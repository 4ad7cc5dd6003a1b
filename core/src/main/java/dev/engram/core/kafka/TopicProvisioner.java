package dev.engram.core.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates missing topics from their {@link TopicSpec}s. Idempotent: of a topic that exists, only a record limit below
 * {@link Topics#MAX_RECORD_BYTES} is raised; the rest is left as it is (its partition count is never changed behind an
 * operator's back).
 */
public final class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class.getName());

    private final String bootstrapServers;
    private final short replicationFactor;
    private final Duration timeout;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param replicationFactor replication factor of created topics (1 on one machine, 3 in a cluster)
     * @param timeout bound on the whole operation
     */
    public TopicProvisioner(String bootstrapServers, short replicationFactor, Duration timeout) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1");
        }
        this.replicationFactor = replicationFactor;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Creates those of {@code specs} that do not exist yet.
     *
     * @return the names of the topics created by this call
     * @throws IllegalStateException if the broker cannot be reached or refuses within the timeout
     */
    public Set<String> ensure(List<TopicSpec> specs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            raiseRecordLimit(
                    admin,
                    specs.stream()
                            .map(TopicSpec::name)
                            .filter(existing::contains)
                            .toList());
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(this::newTopic)
                    .toList();
            if (missing.isEmpty()) {
                return Set.of();
            }
            var results = admin.createTopics(missing).values();
            var created = new java.util.TreeSet<String>();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                    // Another service created it between our listing and our request: that is fine.
                }
            }
            LOG.info(() -> "created " + created.size() + " Kafka topic(s): " + created);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not create Kafka topics on " + bootstrapServers + " within " + timeout, e);
        }
    }

    private NewTopic newTopic(TopicSpec spec) {
        return new NewTopic(spec.name(), spec.partitions(), replicationFactor)
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(spec.retention().toMillis()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(Topics.MAX_RECORD_BYTES)));
    }

    /**
     * Raises {@code max.message.bytes} to {@link Topics#MAX_RECORD_BYTES} on existing topics that were created with
     * less (before it was part of their configuration); nothing else about an existing topic is changed. Best effort:
     * where the broker refuses (no permission to alter configurations, say), it logs what to set by hand.
     */
    private void raiseRecordLimit(Admin admin, List<String> topics) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        try {
            List<ConfigResource> resources = topics.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            AlterConfigOp set = new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(Topics.MAX_RECORD_BYTES)),
                    AlterConfigOp.OpType.SET);
            Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
            configs.forEach((resource, config) -> {
                ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry == null || entry.value() == null || Long.parseLong(entry.value()) < Topics.MAX_RECORD_BYTES) {
                    changes.put(resource, List.of(set));
                }
            });
            if (!changes.isEmpty()) {
                admin.incrementalAlterConfigs(changes).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info(() -> "raised max.message.bytes to " + Topics.MAX_RECORD_BYTES + " on " + changes.size()
                        + " Kafka topic(s)");
            }
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            LOG.warning(() -> "could not check or raise max.message.bytes of " + topics + " (set it to "
                    + Topics.MAX_RECORD_BYTES + " by hand, or documents near the size limit cannot be sent): " + e);
        }
    }
}
