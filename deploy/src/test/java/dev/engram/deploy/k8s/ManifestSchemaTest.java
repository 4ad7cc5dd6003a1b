package dev.engram.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both overlays render with {@code kubectl kustomize}, and every object they hold is valid for its API: the
 * Kubernetes kinds and Strimzi's against their Java models (unknown fields fail), KEDA's and CloudNativePG's against
 * the hand-kept shapes of {@link CrdShapes}.
 */
class ManifestSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.DEV, Kustomize.PROD})
    void everyRenderedObjectIsValidForItsApi(String overlay) {
        Manifests manifests = Kustomize.manifests(overlay);
        assertThat(manifests.objects()).as("objects rendered").hasSizeGreaterThan(30);

        List<String> problems = new ArrayList<>();
        for (JsonNode object : manifests.objects()) {
            String id = StrictModel.typeOf(object) + " "
                    + object.path("metadata").path("name").asText();
            if (StrictModel.modelOf(object).isPresent()) {
                try {
                    var typed = StrictModel.read(object);
                    if (typed.getMetadata() == null || typed.getMetadata().getName() == null) {
                        problems.add(id + ": no metadata.name");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            } else if (CrdShapes.shapeOf(object).isPresent()) {
                CrdShapes.problems(object).forEach(p -> problems.add(id + ": " + p));
            } else {
                problems.add(id + ": no model or shape to check it against (add one before using this kind)");
            }
        }
        assertThat(problems).as("invalid objects in overlay " + overlay).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.DEV, Kustomize.PROD})
    void everyKindTheOverlayNeedsIsThere(String overlay) {
        Set<String> types = new TreeSet<>();
        Kustomize.manifests(overlay).objects().forEach(o -> types.add(StrictModel.typeOf(o)));
        assertThat(types).containsAll(StrictModel.MODELS.keySet()).containsAll(CrdShapes.SHAPES.keySet());
    }

    @Test
    void theStrictModelRefusesAFieldTheApiDoesNotHave() throws Exception {
        JsonNode deployment = Manifests.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinessprobe: {httpGet: {path: /q/health/ready, port: 8080}}
                """);
        assertThatThrownBy(() -> StrictModel.read(deployment))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readinessprobe");
    }

    @Test
    void theStrictModelRefusesAStringWhereTheApiWantsANumber() throws Exception {
        JsonNode hpa = Manifests.YAML.readTree("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: x}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
                  minReplicas: "2"
                  maxReplicas: 3
                """);
        assertThatThrownBy(() -> StrictModel.read(hpa)).hasMessageContaining("minReplicas");
    }

    @Test
    void theStrictModelRefusesAFieldStrimziDoesNotHave() throws Exception {
        JsonNode topic = Manifests.YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: c}}
                spec:
                  partitions: 6
                  replicationFactor: 3
                """);
        assertThatThrownBy(() -> StrictModel.read(topic)).hasMessageContaining("replicationFactor");
    }

    @Test
    void theHandKeptShapesRefuseUnknownFieldsMissingOnesAndNumbersForStrings() throws Exception {
        JsonNode scaledObject = Manifests.YAML.readTree("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: w}
                spec:
                  scaleTargetRef: {name: w}
                  maxReplicas: 6
                  triggers:
                    - type: kafka
                      metadata: {bootstrapServers: k:9092, consumerGroup: g, topic: t, lagThreshold: 50, lag: "1"}
                """);
        assertThat(CrdShapes.problems(scaledObject))
                .anyMatch(p -> p.contains("unknown field maxReplicas"))
                .anyMatch(p -> p.contains("lagThreshold") && p.contains("expected a string"))
                .anyMatch(p -> p.contains("no parameter lag"));

        JsonNode cluster = Manifests.YAML.readTree("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pg}
                spec:
                  postgresql: {parameters: {max_connections: 200}}
                  storage: {size: 1Gi, class: fast}
                """);
        assertThat(CrdShapes.problems(cluster))
                .anyMatch(p -> p.contains("missing required field instances"))
                .anyMatch(p -> p.contains("max_connections") && p.contains("expected a string"))
                .anyMatch(p -> p.contains("unknown field class"));
    }
}
