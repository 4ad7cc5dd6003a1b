package dev.engram.deploy.k8s;

import static dev.engram.deploy.k8s.Manifests.elements;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each overlay promises: dev runs everything once, prod is highly available; in both every pod runs locked
 * down, every Engram pod is fenced by a NetworkPolicy, and PostgreSQL can take the connections of all pools.
 */
class OverlaysTest {

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.DEV, Kustomize.PROD})
    void everyPodRunsAsNonRootWithNothingToEscalateAndAReadOnlyRoot(String overlay) {
        Manifests m = Kustomize.manifests(overlay);
        List<JsonNode> workloads = Stream.concat(m.ofKind("Deployment").stream(), m.ofKind("StatefulSet").stream())
                .toList();
        assertThat(workloads).hasSize(5);
        for (JsonNode workload : workloads) {
            String name = workload.path("metadata").path("name").asText();
            JsonNode pod = workload.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean())
                    .as(name)
                    .isTrue();
            assertThat(pod.path("securityContext")
                            .path("seccompProfile")
                            .path("type")
                            .asText())
                    .as(name)
                    .isEqualTo("RuntimeDefault");
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").isBoolean()
                                && !security.path("allowPrivilegeEscalation").asBoolean())
                        .as(name + " allowPrivilegeEscalation false")
                        .isTrue();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean())
                        .as(name)
                        .isTrue();
                assertThat(elements(security.path("capabilities").path("drop")).map(JsonNode::asText))
                        .as(name)
                        .containsExactly("ALL");
                assertThat(security.has("capabilities")
                                && security.path("capabilities").has("add"))
                        .as(name + " adds no capability")
                        .isFalse();
                for (String kind : List.of("requests", "limits")) {
                    assertThat(container.path("resources").path(kind).has("cpu"))
                            .as(name + " " + kind)
                            .isTrue();
                    assertThat(container.path("resources").path(kind).has("memory"))
                            .as(name + " " + kind)
                            .isTrue();
                }
                assertThat(elements(container.path("volumeMounts"))
                                .map(v -> v.path("mountPath").asText()))
                        .as(name + " has a writable /tmp")
                        .contains("/tmp");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.DEV, Kustomize.PROD})
    void everyEngramPodIsFencedInAndOut(String overlay) {
        Manifests m = Kustomize.manifests(overlay);
        for (String app : List.of("ingest-service", "search-service", "router-service", "memory-writer", "qdrant")) {
            JsonNode policy = m.require("NetworkPolicy", app).path("spec");
            assertThat(policy.path("podSelector")
                            .path("matchLabels")
                            .path("app.kubernetes.io/name")
                            .asText())
                    .isEqualTo(app);
            assertThat(elements(policy.path("policyTypes")).map(JsonNode::asText))
                    .as(app)
                    .containsExactlyInAnyOrder("Ingress", "Egress");
        }
        // The router reaches search-service and ingest-service; nothing else may call them from inside.
        for (String callee : List.of("search-service", "ingest-service")) {
            JsonNode in = m.require("NetworkPolicy", callee).path("spec").path("ingress");
            assertThat(in.toString()).contains("router-service").doesNotContain("memory-writer");
            JsonNode out =
                    m.require("NetworkPolicy", "router-service").path("spec").path("egress");
            assertThat(out.toString()).contains(callee);
        }
        // Only the two users of the vector store reach Qdrant, on gRPC.
        JsonNode qdrantIn = m.require("NetworkPolicy", "qdrant").path("spec").path("ingress");
        assertThat(elements(qdrantIn)
                        .flatMap(rule -> elements(rule.path("from")))
                        .map(peer -> peer.path("podSelector")
                                .path("matchLabels")
                                .path("app.kubernetes.io/name")
                                .asText()))
                .containsExactlyInAnyOrder("search-service", "memory-writer");
    }

    @Test
    void devRunsEverythingOnce() {
        Manifests m = Kustomize.manifests(Kustomize.DEV);
        for (JsonNode hpa : m.ofKind("HorizontalPodAutoscaler")) {
            assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(1);
        }
        assertThat(m.require("ScaledObject", "memory-writer")
                        .path("spec")
                        .path("maxReplicaCount")
                        .asInt())
                .isEqualTo(1);
        assertThat(brokers(m)).isEqualTo(1);
        assertThat(m.require("Cluster", "engram-pg")
                        .path("spec")
                        .path("instances")
                        .asInt())
                .isEqualTo(1);
        for (JsonNode topic : m.ofKind("KafkaTopic")) {
            assertThat(topic.path("spec").path("replicas").asInt()).isEqualTo(1);
        }
    }

    @Test
    void prodIsHighlyAvailable() {
        Manifests m = Kustomize.manifests(Kustomize.PROD);
        assertThat(m.ofKind("HorizontalPodAutoscaler")).hasSize(3);
        for (JsonNode hpa : m.ofKind("HorizontalPodAutoscaler")) {
            String name = hpa.path("metadata").path("name").asText();
            int min = hpa.path("spec").path("minReplicas").asInt();
            assertThat(min).as(name).isGreaterThanOrEqualTo(3);
            assertPdbLeavesRoom(m, name, min);
        }
        int writers = m.require("ScaledObject", "memory-writer")
                .path("spec")
                .path("minReplicaCount")
                .asInt();
        assertThat(writers).isGreaterThanOrEqualTo(2);
        assertPdbLeavesRoom(m, "memory-writer", writers);

        assertThat(brokers(m)).isEqualTo(3);
        JsonNode config =
                m.require("Kafka", "engram-kafka").path("spec").path("kafka").path("config");
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("offsets.topic.replication.factor").asInt()).isEqualTo(3);
        for (JsonNode topic : m.ofKind("KafkaTopic")) {
            assertThat(topic.path("spec").path("replicas").asInt())
                    .as(topic.path("metadata").path("name").asText())
                    .isEqualTo(3);
        }
        assertThat(m.require("Cluster", "engram-pg")
                        .path("spec")
                        .path("instances")
                        .asInt())
                .isEqualTo(3);
        for (String service : List.of("ingest-service", "router-service", "memory-writer")) {
            assertThat(m.require("ConfigMap", service + "-config")
                            .path("data")
                            .path("ENGRAM_KAFKA_REPLICATION_FACTOR")
                            .asText())
                    .as(service + " creates missing topics like the KafkaTopics")
                    .isEqualTo("3");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.DEV, Kustomize.PROD})
    void topicsFitTheBrokersAndAcknowledgedWritesFitTheReplicas(String overlay) {
        Manifests m = Kustomize.manifests(overlay);
        int brokers = brokers(m);
        int minInsync = m.require("Kafka", "engram-kafka")
                .path("spec")
                .path("kafka")
                .path("config")
                .path("min.insync.replicas")
                .asInt();
        for (JsonNode topic : m.ofKind("KafkaTopic")) {
            int replicas = topic.path("spec").path("replicas").asInt();
            assertThat(replicas).isBetween(minInsync, brokers);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.DEV, Kustomize.PROD})
    void postgresTakesTheConnectionsOfEveryPoolAtTheAutoscalersCeilings(String overlay) {
        Manifests m = Kustomize.manifests(overlay);
        int total = 0;
        for (String service : ServiceSources.SERVICES) {
            Properties p = ServiceSources.of(service).properties();
            int perPod = Integer.parseInt(p.getProperty("quarkus.datasource.jdbc.max-size", "0"))
                    + Integer.parseInt(p.getProperty("quarkus.datasource.reactive.max-size", "0"));
            total += perPod * maxReplicas(m, service);
        }
        int maxConnections = Integer.parseInt(m.require("Cluster", "engram-pg")
                .path("spec")
                .path("postgresql")
                .path("parameters")
                .path("max_connections")
                .asText());
        // A few are PostgreSQL's own: superuser_reserved_connections (3), the operator, replication.
        assertThat(total)
                .as("pooled connections at the ceilings")
                .isPositive()
                .isLessThanOrEqualTo(maxConnections - 20);
    }

    private static void assertPdbLeavesRoom(Manifests m, String name, int minReplicas) {
        JsonNode pdb = m.require("PodDisruptionBudget", name).path("spec");
        assertThat(pdb.has("maxUnavailable")).as(name).isFalse();
        int minAvailable = pdb.path("minAvailable").asInt();
        assertThat(minAvailable)
                .as(name + " keeps pods up, and still lets one go")
                .isBetween(1, minReplicas - 1);
    }

    private static int maxReplicas(Manifests m, String service) {
        JsonNode hpa = m.get("HorizontalPodAutoscaler", service);
        if (!hpa.isMissingNode()) {
            return hpa.path("spec").path("maxReplicas").asInt();
        }
        return m.require("ScaledObject", service)
                .path("spec")
                .path("maxReplicaCount")
                .asInt();
    }

    private static int brokers(Manifests m) {
        return m.ofKind("KafkaNodePool").stream()
                .filter(pool -> pool.path("metadata")
                        .path("labels")
                        .path("strimzi.io/cluster")
                        .asText()
                        .equals("engram-kafka"))
                .filter(pool -> pool.path("spec").path("roles").toString().contains("broker"))
                .mapToInt(pool -> pool.path("spec").path("replicas").asInt())
                .sum();
    }
}
