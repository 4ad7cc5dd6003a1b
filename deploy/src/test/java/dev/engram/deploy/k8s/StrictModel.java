package dev.engram.deploy.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a manifest object into its typed model and refuses anything the model does not know: the Kubernetes kinds
 * through the fabric8 model, Strimzi's kinds through Strimzi's own API classes.
 *
 * <p>Both models keep unknown fields in an "additional properties" map instead of failing (their {@code @JsonAnySetter});
 * this mapper removes that escape hatch and any {@code ignoreUnknown}, and fails on unknown properties, on a string
 * where the model has a number or boolean, and on a duplicate key, so a typo or a field of another API version fails
 * with the path of the offending field.
 */
final class StrictModel {

    /** The typed model of each kind, by {@code apiVersion/kind}. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class));

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule("strict").setDeserializerModifier(new NoEscapeHatches()))
            .build();

    private StrictModel() {}

    /** The model class of an object's {@code apiVersion} and {@code kind}, if this check knows it. */
    static Optional<Class<? extends HasMetadata>> modelOf(JsonNode object) {
        return Optional.ofNullable(MODELS.get(typeOf(object)));
    }

    /** {@code apiVersion/kind}, e.g. {@code apps/v1/Deployment}. */
    static String typeOf(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    /**
     * Reads an object into its model.
     *
     * @throws IllegalArgumentException naming the object and the offending field when the model refuses it
     */
    static HasMetadata read(JsonNode object) {
        Class<? extends HasMetadata> model =
                modelOf(object).orElseThrow(() -> new IllegalArgumentException("no model for " + typeOf(object)));
        try {
            return MAPPER.treeToValue(object, model);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    typeOf(object) + " " + object.path("metadata").path("name").asText() + ": " + e.getMessage(), e);
        }
    }

    /** Takes away the models' any-setters and ignore-unknown flags, so unknown fields fail. */
    private static final class NoEscapeHatches extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(
                DeserializationConfig config, BeanDescription beanDesc, BeanDeserializerBuilder builder) {
            builder.setAnySetter(null);
            builder.setIgnoreUnknownProperties(false);
            return builder;
        }
    }
}
