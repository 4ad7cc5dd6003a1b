package dev.engram.core.filters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.engram.core.text.StorableText;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the {@code filters} field of Memory API requests: an object {@code {"AND": [...]}} or {@code {"OR": [...]}}
 * (or the same as a JSON string), whose elements are conditions or nested groups. Every problem is reported with
 * its path; nothing is guessed.
 */
public final class FilterParser {

    /** Deepest nesting of groups accepted. */
    public static final int MAX_DEPTH = 5;

    /** Most conditions and groups in one filter. */
    public static final int MAX_NODES = 200;

    /** Longest key or value accepted. */
    public static final int MAX_TEXT = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONDITION_FIELDS =
            Set.of("key", "value", "filterType", "ignoreCase", "negate", "numericOperator");

    private int nodes;

    private FilterParser() {}

    /**
     * @param filters the request's {@code filters} value (object or JSON string); {@code null} for none
     * @param path the name of the field in the request, used in error messages (e.g. {@code "filters"})
     * @return the filter, or {@code null} if there is none
     * @throws InvalidFilterException naming the path of the first problem
     */
    public static Filter parse(JsonNode filters, String path) {
        if (filters == null || filters.isNull() || filters.isMissingNode()) {
            return null;
        }
        JsonNode node = filters;
        if (filters.isTextual()) {
            try {
                node = JSON.readTree(filters.textValue());
            } catch (JsonProcessingException e) {
                throw new InvalidFilterException(path, "is a string but not valid JSON");
            }
        }
        return new FilterParser().group(node, path, 1);
    }

    /** Parses a filter given as plain Java values (maps, lists, strings), e.g. from a generic JSON binding. */
    public static Filter parse(Object filters, String path) {
        return parse(filters == null ? null : JSON.valueToTree(filters), path);
    }

    private Filter group(JsonNode node, String path, int depth) {
        if (!node.isObject()) {
            throw new InvalidFilterException(path, "must be an object with \"AND\" or \"OR\"");
        }
        if (depth > MAX_DEPTH) {
            throw new InvalidFilterException(path, "nests deeper than " + MAX_DEPTH + " levels");
        }
        boolean and = node.has("AND");
        boolean or = node.has("OR");
        if (and == or || node.size() != 1) {
            throw new InvalidFilterException(path, "must have exactly one of \"AND\" or \"OR\" and nothing else");
        }
        String operator = and ? "AND" : "OR";
        JsonNode elements = node.get(operator);
        String elementsPath = path + "." + operator;
        if (!elements.isArray()) {
            throw new InvalidFilterException(elementsPath, "must be an array");
        }
        if (elements.isEmpty()) {
            throw new InvalidFilterException(elementsPath, "must not be empty");
        }
        List<Filter> children = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            if (++nodes > MAX_NODES) {
                throw new InvalidFilterException(path, "has more than " + MAX_NODES + " conditions and groups");
            }
            JsonNode element = elements.get(i);
            String elementPath = elementsPath + "[" + i + "]";
            if (element.isObject() && (element.has("AND") || element.has("OR"))) {
                children.add(group(element, elementPath, depth + 1));
            } else {
                children.add(condition(element, elementPath));
            }
        }
        return and ? new Filter.And(children) : new Filter.Or(children);
    }

    private static Filter.Condition condition(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new InvalidFilterException(path, "must be a condition object or a nested \"AND\"/\"OR\" group");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!CONDITION_FIELDS.contains(name)) {
                throw new InvalidFilterException(path + "." + name, "is not a condition field");
            }
        });
        String key = text(node, "key", path, true);
        if (key.isEmpty()) {
            throw new InvalidFilterException(path + ".key", "must not be empty");
        }
        String value = text(node, "value", path, true);
        String typeName = text(node, "filterType", path, false);
        FilterType type = typeName == null ? FilterType.METADATA : FilterType.fromWire(typeName);
        if (type == null) {
            throw new InvalidFilterException(
                    path + ".filterType", "must be one of metadata, numeric, array_contains, string_contains");
        }
        boolean ignoreCase = flag(node, "ignoreCase", path);
        boolean negate = flag(node, "negate", path);
        String operatorName = text(node, "numericOperator", path, false);
        NumericOperator operator = NumericOperator.EQ;
        double number = Double.NaN;
        if (operatorName != null) {
            if (type != FilterType.NUMERIC) {
                throw new InvalidFilterException(path + ".numericOperator", "applies only to filterType numeric");
            }
            operator = NumericOperator.fromRequest(operatorName);
            if (operator == null) {
                throw new InvalidFilterException(path + ".numericOperator", "must be one of >, <, >=, <=, =");
            }
        }
        if (type == FilterType.NUMERIC) {
            try {
                number = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new InvalidFilterException(path + ".value", "must be a number for filterType numeric");
            }
            if (!Double.isFinite(number)) {
                throw new InvalidFilterException(path + ".value", "must be a finite number");
            }
        }
        return new Filter.Condition(key, value, type, ignoreCase, negate, operator, number);
    }

    private static String text(JsonNode node, String field, String path, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidFilterException(path + "." + field, "is required");
            }
            return null;
        }
        String text;
        if (value.isTextual()) {
            text = value.textValue();
        } else if ("value".equals(field) && (value.isNumber() || value.isBoolean())) {
            // The SDK types values as strings; numbers and booleans sent bare are taken at their text.
            text = value.asText();
        } else {
            throw new InvalidFilterException(path + "." + field, "must be a string");
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidFilterException(path + "." + field, "must be at most " + MAX_TEXT + " characters");
        }
        checkStorable(text, path + "." + field);
        return text;
    }

    /** Text PostgreSQL cannot hold ({@link StorableText}) is in no stored value: refused, not searched for. */
    private static void checkStorable(String text, String path) {
        StorableText.problem(text).ifPresent(reason -> {
            throw new InvalidFilterException(path, reason);
        });
    }

    private static boolean flag(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.getNodeType() == JsonNodeType.BOOLEAN) {
            return value.booleanValue();
        }
        if (value.isTextual() && ("true".equals(value.textValue()) || "false".equals(value.textValue()))) {
            return Boolean.parseBoolean(value.textValue());
        }
        throw new InvalidFilterException(path + "." + field, "must be true or false");
    }
}
