package dev.engram.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.kafka.TopicProvisioner;
import dev.engram.core.kafka.TopicSpec;
import dev.engram.core.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Core's {@link TopicProvisioner} against a real broker: every topic it ensures takes records of 16 MiB. */
class TopicRecordLimitTest {

    @Test
    void aCreatedTopicTakesTheLargestRecord() throws Exception {
        String topic = OutboxTestBed.unique("record-limit-new");

        provisioner().ensure(List.of(new TopicSpec(topic, 1, Duration.ofDays(1))));

        assertThat(recordLimit(topic)).isEqualTo(Topics.MAX_RECORD_BYTES);
    }

    @Test
    void aTopicCreatedWithTheBrokersDefaultIsRaisedAndOtherwiseLeftAlone() throws Exception {
        String topic = OutboxTestBed.unique("record-limit-old");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        assertThat(recordLimit(topic)).isLessThan(Topics.MAX_RECORD_BYTES);

        var created = provisioner().ensure(List.of(new TopicSpec(topic, 6, Duration.ofDays(1))));

        assertThat(created).isEmpty();
        assertThat(recordLimit(topic)).isEqualTo(Topics.MAX_RECORD_BYTES);
        try (Admin admin = admin()) {
            var description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(description.get(topic).partitions()).hasSize(2);
        }
    }

    private static TopicProvisioner provisioner() {
        return new TopicProvisioner(OutboxTestBed.bootstrapServers(), (short) 1, Duration.ofSeconds(30));
    }

    private static int recordLimit(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = admin()) {
            Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs =
                    admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS);
            return Integer.parseInt(configs.get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                    .value());
        }
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, OutboxTestBed.bootstrapServers());
        return Admin.create(props);
    }
}
