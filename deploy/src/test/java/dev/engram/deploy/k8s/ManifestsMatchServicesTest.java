package dev.engram.deploy.k8s;

import static dev.engram.deploy.k8s.Manifests.elements;
import static dev.engram.deploy.k8s.Manifests.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.core.kafka.TopicSpec;
import dev.engram.core.kafka.Topics;
import dev.engram.deploy.gateway.Route;
import dev.engram.deploy.gateway.RouteTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests agree with the code they deploy: ports, health paths, the configuration keys behind every
 * environment variable, Kafka topics and consumer groups, the gateway's routes, the vector store's address.
 */
class ManifestsMatchServicesTest {

    /** Variables for the JVM and native libraries, not configuration keys. */
    static final Set<String> NOT_CONFIG = Set.of("JDK_JAVA_OPTIONS", "DJL_CACHE_DIR");

    static Stream<Arguments> overlaysAndServices() {
        return Stream.of(Kustomize.DEV, Kustomize.PROD)
                .flatMap(o -> ServiceSources.SERVICES.stream().map(s -> Arguments.of(o, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void containerAndServicePortsAreTheServicesHttpPort(String overlay, String service) {
        Manifests m = Kustomize.manifests(overlay);
        int port = ServiceSources.of(service).httpPort();
        JsonNode container = container(m, service);
        assertThat(elements(container.path("ports"))
                        .map(p -> p.path("containerPort").asInt()))
                .containsExactly(port);
        JsonNode svc = m.require("Service", service);
        assertThat(elements(svc.path("spec").path("ports"))
                        .map(p -> p.path("port").asInt()))
                .containsExactly(port);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void probesUseTheQuarkusHealthEndpoints(String overlay, String service) {
        assertThat(ServiceSources.of(service).pom())
                .as(service + " has the health extension")
                .contains("<artifactId>quarkus-smallrye-health</artifactId>");
        JsonNode container = container(Kustomize.manifests(overlay), service);
        Map<String, String> expected = Map.of(
                "startupProbe", "/q/health/started",
                "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        expected.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(service + " " + probe).isEqualTo(path);
            assertThat(get.path("port").asText())
                    .as(service + " " + probe + " port")
                    .isEqualTo("http");
        });
        assertThat(container.path("ports").path(0).path("name").asText()).isEqualTo("http");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void prometheusScrapesTheQuarkusMetricsEndpointOnTheHttpPort(String overlay, String service) {
        assertThat(ServiceSources.of(service).pom())
                .as(service + " has the Prometheus registry")
                .contains("<artifactId>quarkus-micrometer-registry-prometheus</artifactId>");
        JsonNode annotations = Kustomize.manifests(overlay)
                .require("Deployment", service)
                .path("spec")
                .path("template")
                .path("metadata")
                .path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        assertThat(annotations.path("prometheus.io/port").asText())
                .isEqualTo(Integer.toString(ServiceSources.of(service).httpPort()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void everyEnvironmentVariableIsAConfigurationKeyTheServiceReads(String overlay, String service) {
        Manifests m = Kustomize.manifests(overlay);
        ServiceSources sources = ServiceSources.of(service);
        Map<String, String> known = sources.envNames();
        JsonNode container = container(m, service);

        assertThat(elements(container.path("envFrom"))
                        .map(e -> e.has("configMapRef")
                                ? "ConfigMap/"
                                        + e.path("configMapRef").path("name").asText()
                                : "Secret/" + e.path("secretRef").path("name").asText()))
                .containsExactlyInAnyOrder("ConfigMap/" + service + "-config", "Secret/" + service + "-config-creds");

        List<String> names = new ArrayList<>();
        fieldNames(m.require("ConfigMap", service + "-config").path("data")).forEach(names::add);
        JsonNode secret = m.require("Secret", service + "-config-creds");
        fieldNames(secret.path("stringData")).forEach(names::add);
        fieldNames(secret.path("data")).forEach(names::add);
        elements(container.path("env")).map(e -> e.path("name").asText()).forEach(names::add);

        assertThat(names).as("variables of " + service).isNotEmpty();
        assertThat(names.stream().filter(n -> !NOT_CONFIG.contains(n)).filter(n -> !known.containsKey(n)))
                .as("variables that map to no configuration key of " + service + " (" + known.keySet() + ")")
                .isEmpty();
        assertThat(secret.path("stringData").path("ENGRAM_AUTH_BOOTSTRAP_KEY").isTextual())
                .as(service + "'s secret holds the installation key")
                .isTrue();
    }

    @Test
    void theEnvironmentNamesFollowSmallRyeConfigsMapping() {
        assertThat(ServiceSources.envName("router.memory.search-url")).isEqualTo("ROUTER_MEMORY_SEARCH_URL");
        assertThat(ServiceSources.envName("quarkus.datasource.jdbc.url")).isEqualTo("QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(ServiceSources.of("search-service").envNames())
                .containsKeys("SEARCH_VECTORS_QDRANT_HOST", "ENGRAM_AUTH_BOOTSTRAP_KEY", "SEARCH_LLM_API_KEY")
                .doesNotContainKeys("SEARCH_VECTORS", "SEARCH_VECTOR_BACKEND", "WRITER_VECTORS_BACKEND");
        assertThat(ServiceSources.of("memory-writer").configKeys())
                .contains(
                        "writer.extraction.llm.api-key",
                        "writer.memories.forget-sweep-interval",
                        "writer.outbox.poll-interval",
                        "engram.kafka.replication-factor");
    }

    @Test
    void theSharedSecretsHoldTheSameValueEverywhere() {
        for (String overlay : List.of(Kustomize.DEV, Kustomize.PROD)) {
            Manifests m = Kustomize.manifests(overlay);
            Set<String> keys = new TreeSet<>();
            for (String service : ServiceSources.SERVICES) {
                keys.add(stringData(m, service + "-config-creds", "ENGRAM_AUTH_BOOTSTRAP_KEY"));
            }
            assertThat(keys).as("ENGRAM_AUTH_BOOTSTRAP_KEY in " + overlay).hasSize(1);
            String qdrant = stringData(m, "qdrant-creds", "QDRANT__SERVICE__API_KEY");
            assertThat(stringData(m, "search-service-config-creds", "SEARCH_VECTORS_QDRANT_API_KEY"))
                    .isEqualTo(qdrant);
            assertThat(stringData(m, "memory-writer-config-creds", "WRITER_VECTORS_QDRANT_API_KEY"))
                    .isEqualTo(qdrant);
        }
    }

    @Test
    void theKafkaTopicsAreTheCatalogueOfTopicsJava() {
        for (String overlay : List.of(Kustomize.DEV, Kustomize.PROD)) {
            Manifests m = Kustomize.manifests(overlay);
            Map<String, JsonNode> topics = new TreeMap<>();
            m.ofKind("KafkaTopic").forEach(t -> topics.put(topicName(t), t));
            Set<String> catalogue = new TreeSet<>();
            Topics.all().forEach(s -> catalogue.add(s.name()));
            for (String topic :
                    List.of(Topics.DOCUMENTS, Topics.CONVERSATIONS, Topics.MEMORY_COMMANDS, Topics.PROCESSING_STATUS)) {
                assertThat(catalogue).contains(topic, Topics.dlq(topic));
            }
            assertThat(topics.keySet()).as("KafkaTopics of " + overlay).isEqualTo(catalogue);
            for (TopicSpec spec : Topics.all()) {
                JsonNode topic = topics.get(spec.name()).path("spec");
                assertThat(topic.path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
                assertThat(topic.path("config").path("retention.ms").asLong())
                        .as(spec.name() + " retention")
                        .isEqualTo(spec.retention().toMillis());
                assertThat(topic.path("config").path("max.message.bytes").asInt())
                        .as(spec.name() + " record limit")
                        .isEqualTo(Topics.MAX_RECORD_BYTES);
                assertThat(topics.get(spec.name())
                                .path("metadata")
                                .path("labels")
                                .path("strimzi.io/cluster")
                                .asText())
                        .isEqualTo("engram-kafka");
            }
        }
    }

    @Test
    void everyTopicTheServicesUseIsAKafkaTopic() {
        Set<String> declared = new TreeSet<>();
        Kustomize.manifests(Kustomize.PROD).ofKind("KafkaTopic").forEach(t -> declared.add(topicName(t)));
        Set<String> used = new TreeSet<>();
        for (String service : ServiceSources.SERVICES) {
            Properties p = ServiceSources.of(service).properties();
            p.stringPropertyNames().stream()
                    .filter(k -> (k.startsWith("mp.messaging.") || k.startsWith("writer.")) && k.endsWith(".topic"))
                    .forEach(k -> used.add(p.getProperty(k).strip()));
        }
        assertThat(used).isNotEmpty();
        assertThat(declared).containsAll(used);
    }

    @Test
    void memoryWritersScaledObjectWatchesItsOwnConsumerGroupAndTopics() {
        Properties writer = ServiceSources.of("memory-writer").properties();
        Map<String, String> groupByTopic = new HashMap<>();
        for (String key : writer.stringPropertyNames()) {
            if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                String channel = key.substring(0, key.length() - ".topic".length());
                groupByTopic.put(
                        writer.getProperty(key).strip(),
                        writer.getProperty(channel + ".group.id").strip());
            }
        }
        // memory-writer reads the document topic with a consumer of its own, configured under writer.documents.
        groupByTopic.put(
                writer.getProperty("writer.documents.topic").strip(),
                writer.getProperty("writer.documents.group").strip());
        assertThat(groupByTopic).isNotEmpty();
        for (String overlay : List.of(Kustomize.DEV, Kustomize.PROD)) {
            Manifests m = Kustomize.manifests(overlay);
            JsonNode scaled = m.require("ScaledObject", "memory-writer").path("spec");
            assertThat(scaled.path("scaleTargetRef").path("name").asText()).isEqualTo("memory-writer");
            m.require("Deployment", "memory-writer");
            String bootstrap = m.require("ConfigMap", "memory-writer-config")
                    .path("data")
                    .path("KAFKA_BOOTSTRAP_SERVERS")
                    .asText();
            Map<String, String> watched = new HashMap<>();
            elements(scaled.path("triggers")).forEach(t -> {
                assertThat(t.path("type").asText()).isEqualTo("kafka");
                JsonNode meta = t.path("metadata");
                watched.put(
                        meta.path("topic").asText(), meta.path("consumerGroup").asText());
                assertThat(meta.path("bootstrapServers").asText()).isEqualTo(bootstrap);
                int partitions = m.ofKind("KafkaTopic").stream()
                        .filter(k -> topicName(k).equals(meta.path("topic").asText()))
                        .findFirst()
                        .orElseThrow()
                        .path("spec")
                        .path("partitions")
                        .asInt();
                assertThat(scaled.path("maxReplicaCount").asInt())
                        .as("replicas beyond the partitions of "
                                + meta.path("topic").asText() + " would idle")
                        .isLessThanOrEqualTo(partitions);
            });
            assertThat(watched).as("topic -> consumer group in " + overlay).isEqualTo(groupByTopic);
            assertThat(scaled.path("minReplicaCount").asInt()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void theIngressRoutesEveryPathLikeTheGateway() {
        for (String overlay : List.of(Kustomize.DEV, Kustomize.PROD)) {
            Manifests m = Kustomize.manifests(overlay);
            List<JsonNode> ingresses = m.ofKind("Ingress");
            assertThat(ingresses).hasSize(1);
            Map<String, String> routed = new TreeMap<>();
            elements(ingresses.get(0).path("spec").path("rules"))
                    .flatMap(r -> elements(r.path("http").path("paths")))
                    .forEach(p -> {
                        String path = p.path("path").asText();
                        JsonNode backend = p.path("backend").path("service");
                        String service = backend.path("name").asText();
                        assertThat(routed.put(path, service))
                                .as("path " + path + " once")
                                .isNull();
                        assertThat(backend.path("port").path("number").asInt())
                                .as(path)
                                .isEqualTo(ServiceSources.of(service).httpPort());
                        // Gateway rows that end in '/' match as text, the others by whole segments (Prefix).
                        assertThat(p.path("pathType").asText())
                                .as(path)
                                .isEqualTo(path.endsWith("/") ? "ImplementationSpecific" : "Prefix");
                    });
            Map<String, String> gateway = new TreeMap<>();
            for (Route route : RouteTable.ENGRAM_ROUTES) {
                gateway.put(route.pathPrefix(), route.service());
            }
            assertThat(routed).as("Ingress paths of " + overlay).isEqualTo(gateway);
        }
    }

    @Test
    void theVectorStoreIsQdrantAtItsServiceAddress() {
        for (String overlay : List.of(Kustomize.DEV, Kustomize.PROD)) {
            Manifests m = Kustomize.manifests(overlay);
            JsonNode qdrant = m.require("Service", "qdrant");
            int grpc = elements(qdrant.path("spec").path("ports"))
                    .filter(p -> p.path("name").asText().equals("grpc"))
                    .findFirst()
                    .orElseThrow()
                    .path("port")
                    .asInt();
            for (var prefix : Map.of("search-service", "SEARCH", "memory-writer", "WRITER")
                    .entrySet()) {
                JsonNode data =
                        m.require("ConfigMap", prefix.getKey() + "-config").path("data");
                assertThat(data.path(prefix.getValue() + "_VECTORS_BACKEND").asText())
                        .isEqualTo("qdrant");
                assertThat(data.path(prefix.getValue() + "_VECTORS_QDRANT_HOST").asText())
                        .isEqualTo("qdrant");
                assertThat(data.path(prefix.getValue() + "_VECTORS_QDRANT_PORT").asInt())
                        .isEqualTo(grpc);
            }
            m.require("StatefulSet", "qdrant");
        }
    }

    @Test
    void theRoutersDownstreamUrlsNameTheServicesAndTheirPorts() {
        for (String overlay : List.of(Kustomize.DEV, Kustomize.PROD)) {
            JsonNode data = Kustomize.manifests(overlay)
                    .require("ConfigMap", "router-service-config")
                    .path("data");
            assertThat(data.path("ROUTER_MEMORY_SEARCH_URL").asText())
                    .isEqualTo("http://search-service:"
                            + ServiceSources.of("search-service").httpPort());
            assertThat(data.path("ROUTER_CONVERSATIONS_HISTORY_URL").asText())
                    .isEqualTo("http://ingest-service:"
                            + ServiceSources.of("ingest-service").httpPort());
            assertThat(data.path("ENGRAM_AUTH_KEYS_URL").asText())
                    .isEqualTo("http://ingest-service:"
                            + ServiceSources.of("ingest-service").httpPort());
        }
    }

    static JsonNode container(Manifests m, String service) {
        JsonNode containers = m.require("Deployment", service)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers");
        assertThat(containers.size()).as(service + " containers").isEqualTo(1);
        return containers.get(0);
    }

    static String topicName(JsonNode topic) {
        String name = topic.path("spec").path("topicName").asText();
        return name.isEmpty() ? topic.path("metadata").path("name").asText() : name;
    }

    private static String stringData(Manifests m, String secret, String key) {
        JsonNode value = m.require("Secret", secret).path("stringData").path(key);
        assertThat(value.isTextual()).as(secret + " has " + key).isTrue();
        return value.asText();
    }
}
