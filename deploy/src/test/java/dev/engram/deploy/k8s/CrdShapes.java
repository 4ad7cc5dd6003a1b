package dev.engram.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A hand-kept structural check of the custom resources that no model on Maven Central describes: KEDA's
 * {@code ScaledObject} and CloudNativePG's {@code Cluster}.
 *
 * <p>It is not their CRD schema. It lists, for the parts of those resources these manifests use, the fields their
 * CRDs define (taken from KEDA 2.x's and CloudNativePG 1.2x's published CRDs), which of them are required, and the
 * type of each value; any other field fails, as does a number where the CRD wants a string (KEDA's trigger metadata
 * and PostgreSQL's parameters are string maps). Fields of the CRDs that these manifests do not use are left out on
 * purpose: using one means adding it here, after reading the CRD. Kubernetes types inside them (resources,
 * tolerations, the HPA behaviour) go through the strict fabric8 model.
 */
final class CrdShapes {

    /** A rule for one value. */
    interface Shape {
        void check(JsonNode value, String path, List<String> problems);
    }

    /** A field of an object shape. */
    record Field(String name, boolean required, Shape shape) {}

    static final Shape STRING = (v, p, out) -> expect(v.isTextual(), p, "a string", v, out);
    static final Shape INT = (v, p, out) -> expect(v.isIntegralNumber(), p, "an integer", v, out);
    static final Shape BOOL = (v, p, out) -> expect(v.isBoolean(), p, "a boolean", v, out);
    /** An object whose values are all strings. */
    static final Shape STRING_MAP = (v, p, out) -> {
        if (!v.isObject()) {
            out.add(p + ": expected an object of strings, got " + v.getNodeType());
            return;
        }
        v.properties().forEach(e -> STRING.check(e.getValue(), p + "." + e.getKey(), out));
    };

    /** The parameters of KEDA's Kafka scaler (the keys of a kafka trigger's metadata). */
    static final Set<String> KAFKA_SCALER_PARAMETERS = Set.of(
            "bootstrapServers",
            "consumerGroup",
            "topic",
            "lagThreshold",
            "activationLagThreshold",
            "offsetResetPolicy",
            "allowIdleConsumers",
            "excludePersistentLag",
            "scaleToZeroOnInvalidOffset",
            "limitToPartitionsWithLag",
            "partitionLimitation",
            "version");

    static final Shape SCALED_OBJECT = object(
            required("apiVersion", STRING),
            required("kind", STRING),
            required("metadata", model(ObjectMeta.class)),
            required(
                    "spec",
                    object(
                            required(
                                    "scaleTargetRef",
                                    object(
                                            required("name", STRING),
                                            optional("apiVersion", STRING),
                                            optional("kind", STRING),
                                            optional("envSourceContainerName", STRING))),
                            required(
                                    "triggers",
                                    list(object(
                                            required("type", STRING),
                                            required("metadata", STRING_MAP),
                                            optional("name", STRING),
                                            optional("metricType", oneOf("Value", "AverageValue", "Utilization")),
                                            optional("useCachedMetrics", BOOL),
                                            optional(
                                                    "authenticationRef",
                                                    object(required("name", STRING), optional("kind", STRING)))))),
                            optional("minReplicaCount", INT),
                            optional("maxReplicaCount", INT),
                            optional("idleReplicaCount", INT),
                            optional("pollingInterval", INT),
                            optional("cooldownPeriod", INT),
                            optional("initialCooldownPeriod", INT),
                            optional("fallback", object(required("failureThreshold", INT), required("replicas", INT))),
                            optional(
                                    "advanced",
                                    object(
                                            optional("restoreToOriginalReplicaCount", BOOL),
                                            optional(
                                                    "horizontalPodAutoscalerConfig",
                                                    object(
                                                            optional("name", STRING),
                                                            optional(
                                                                    "behavior",
                                                                    model(
                                                                            HorizontalPodAutoscalerBehavior
                                                                                    .class)))))))));

    private static final Shape STORAGE =
            object(optional("size", STRING), optional("storageClass", STRING), optional("resizeInUseVolumes", BOOL));

    static final Shape CNPG_CLUSTER = object(
            required("apiVersion", STRING),
            required("kind", STRING),
            required("metadata", model(ObjectMeta.class)),
            required(
                    "spec",
                    object(
                            required("instances", INT),
                            optional("description", STRING),
                            optional("imageName", STRING),
                            optional("primaryUpdateStrategy", oneOf("unsupervised", "supervised")),
                            optional("primaryUpdateMethod", oneOf("switchover", "restart")),
                            optional("enableSuperuserAccess", BOOL),
                            optional("minSyncReplicas", INT),
                            optional("maxSyncReplicas", INT),
                            optional(
                                    "bootstrap",
                                    object(optional(
                                            "initdb",
                                            object(
                                                    optional("database", STRING),
                                                    optional("owner", STRING),
                                                    optional("secret", object(required("name", STRING))),
                                                    optional("encoding", STRING),
                                                    optional("dataChecksums", BOOL),
                                                    optional("postInitSQL", list(STRING)),
                                                    optional("postInitApplicationSQL", list(STRING)))))),
                            optional(
                                    "postgresql",
                                    object(
                                            optional("parameters", STRING_MAP),
                                            optional("pg_hba", list(STRING)),
                                            optional("shared_preload_libraries", list(STRING)))),
                            optional("storage", STORAGE),
                            optional("walStorage", STORAGE),
                            optional("resources", model(ResourceRequirements.class)),
                            optional(
                                    "affinity",
                                    object(
                                            optional("enablePodAntiAffinity", BOOL),
                                            optional("topologyKey", STRING),
                                            optional("podAntiAffinityType", oneOf("preferred", "required")),
                                            optional("nodeSelector", STRING_MAP),
                                            optional("tolerations", list(model(Toleration.class))))),
                            optional("monitoring", object(optional("enablePodMonitor", BOOL))))));

    /** The hand-kept shapes, by {@code apiVersion/kind}. */
    static final Map<String, Shape> SHAPES =
            Map.of("keda.sh/v1alpha1/ScaledObject", SCALED_OBJECT, "postgresql.cnpg.io/v1/Cluster", CNPG_CLUSTER);

    private CrdShapes() {}

    /** The shape of an object's {@code apiVersion} and {@code kind}, if one is kept here. */
    static Optional<Shape> shapeOf(JsonNode object) {
        return Optional.ofNullable(SHAPES.get(StrictModel.typeOf(object)));
    }

    /** The problems of an object against its shape; empty when it fits. */
    static List<String> problems(JsonNode object) {
        Shape shape = shapeOf(object)
                .orElseThrow(() -> new IllegalArgumentException("no shape for " + StrictModel.typeOf(object)));
        List<String> problems = new ArrayList<>();
        shape.check(object, StrictModel.typeOf(object), problems);
        if (StrictModel.typeOf(object).endsWith("/ScaledObject")) {
            Manifests.elements(object.path("spec").path("triggers"))
                    .filter(t -> "kafka".equals(t.path("type").asText()))
                    .forEach(t -> Manifests.fieldNames(t.path("metadata"))
                            .filter(key -> !KAFKA_SCALER_PARAMETERS.contains(key))
                            .forEach(key -> problems.add("a kafka trigger has no parameter " + key)));
        }
        return problems;
    }

    static Field required(String name, Shape shape) {
        return new Field(name, true, shape);
    }

    static Field optional(String name, Shape shape) {
        return new Field(name, false, shape);
    }

    /** An object with exactly these fields allowed. */
    static Shape object(Field... fields) {
        Map<String, Field> byName = new LinkedHashMap<>();
        for (Field field : fields) {
            byName.put(field.name(), field);
        }
        return (v, p, out) -> {
            if (!v.isObject()) {
                out.add(p + ": expected an object, got " + v.getNodeType());
                return;
            }
            v.properties().forEach(e -> {
                Field field = byName.get(e.getKey());
                if (field == null) {
                    out.add(p + ": unknown field " + e.getKey());
                } else {
                    field.shape().check(e.getValue(), p + "." + e.getKey(), out);
                }
            });
            byName.values().stream()
                    .filter(f -> f.required() && !v.has(f.name()))
                    .forEach(f -> out.add(p + ": missing required field " + f.name()));
        };
    }

    /** A list whose elements all fit {@code item}. */
    static Shape list(Shape item) {
        return (v, p, out) -> {
            if (!v.isArray()) {
                out.add(p + ": expected a list, got " + v.getNodeType());
                return;
            }
            for (int i = 0; i < v.size(); i++) {
                item.check(v.get(i), p + "[" + i + "]", out);
            }
        };
    }

    /** A string that is one of {@code values}. */
    static Shape oneOf(String... values) {
        List<String> allowed = Arrays.asList(values);
        return (v, p, out) -> expect(v.isTextual() && allowed.contains(v.asText()), p, "one of " + allowed, v, out);
    }

    /** A Kubernetes type, read strictly through the fabric8 model. */
    static Shape model(Class<?> type) {
        return (v, p, out) -> {
            try {
                StrictModel.MAPPER.treeToValue(v, type);
            } catch (Exception e) {
                out.add(p + ": not a valid " + type.getSimpleName() + ": " + e.getMessage());
            }
        };
    }

    private static void expect(boolean ok, String path, String what, JsonNode value, List<String> out) {
        if (!ok) {
            out.add(path + ": expected " + what + ", got " + value);
        }
    }
}
