package dev.engram.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The objects of one rendered overlay, as JSON trees, with look-ups by kind and name. */
record Manifests(List<JsonNode> objects) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Parses a multi-document YAML stream; empty documents are dropped. */
    static Manifests parse(String yaml) {
        try (var parser = YAML.getFactory().createParser(yaml)) {
            List<JsonNode> objects = new ArrayList<>();
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && node.isObject() && !node.isEmpty()) {
                    objects.add(node);
                }
            }
            return new Manifests(List.copyOf(objects));
        } catch (IOException e) {
            throw new UncheckedIOException("the rendered manifests are not YAML", e);
        }
    }

    /** Every object of a kind. */
    List<JsonNode> ofKind(String kind) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()))
                .toList();
    }

    /** The object of a kind and name, or a missing node. */
    JsonNode get(String kind, String name) {
        return ofKind(kind).stream()
                .filter(o -> name.equals(o.path("metadata").path("name").asText()))
                .findFirst()
                .orElse(MissingNode.getInstance());
    }

    /** The object of a kind and name; fails when there is none. */
    JsonNode require(String kind, String name) {
        JsonNode node = get(kind, name);
        if (node.isMissingNode()) {
            throw new AssertionError("the rendered manifests have no " + kind + " " + name);
        }
        return node;
    }

    /** The elements of an array node (none for a missing node). */
    static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(array.elements(), Spliterator.ORDERED), false);
    }

    /** The field names of an object node (none for a missing node). */
    static Stream<String> fieldNames(JsonNode object) {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(object.fieldNames(), Spliterator.ORDERED), false);
    }
}
