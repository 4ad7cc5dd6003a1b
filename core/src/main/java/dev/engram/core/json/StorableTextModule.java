package dev.engram.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.engram.core.text.StorableText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses, while a request body is read, any string value or object key that cannot be stored
 * ({@link StorableText}), with an {@link UnstorableTextException} naming where it is. It covers what request bodies
 * are read into: {@code String} (also in lists and arrays), {@code Object} (maps and lists of any depth, and map keys)
 * and {@code JsonNode} trees; a service registers it on the mapper that reads its requests.
 *
 * <p>One check at the edge, instead of one per field: every field a request names may reach a PostgreSQL statement,
 * where NUL fails it (a 500 before this) and a lone surrogate turns silently into {@code ?}.
 */
public final class StorableTextModule extends SimpleModule {

    public StorableTextModule() {
        super("engram-storable-text");
        addDeserializer(String.class, new Strings());
        addKeyDeserializer(String.class, new Keys());
        addDeserializer(Object.class, new Untyped());
        addDeserializer(JsonNode.class, new Trees());
    }

    /** Strings, read as Jackson reads them (coercions included), then checked. */
    private static final class Strings extends StdScalarDeserializer<String> {

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = StringDeserializer.instance.deserialize(p, ctxt);
            if (text != null) {
                check(p, text, path(p.getParsingContext()));
            }
            return text;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public boolean isCachable() {
            return true;
        }

        @Override
        public Object getEmptyValue(DeserializationContext ctxt) {
            return "";
        }
    }

    /** Keys of maps read into {@code Map<String, …>}. */
    private static final class Keys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            JsonParser p = ctxt.getParser();
            // the parser is inside the map: where the map is comes from the context around it
            JsonStreamContext map = p == null ? null : p.getParsingContext();
            checkKey(p, key, path(map == null ? null : map.getParent()));
            return key;
        }
    }

    /**
     * Maps, lists and scalars of any depth, as Jackson's own untyped reader makes them ({@code LinkedHashMap},
     * {@code ArrayList}, {@code String}, the parser's number types, {@code Boolean}, {@code null}), checked as read.
     */
    private static final class Untyped extends StdDeserializer<Object> {

        Untyped() {
            super(Object.class);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case START_OBJECT, FIELD_NAME, END_OBJECT -> object(p, ctxt);
                case START_ARRAY -> array(p, ctxt);
                case VALUE_STRING -> {
                    String text = p.getText();
                    check(p, text, path(p.getParsingContext()));
                    yield text;
                }
                case VALUE_NUMBER_INT ->
                    ctxt.hasSomeOfFeatures(F_MASK_INT_COERCIONS) ? _coerceIntegral(p, ctxt) : p.getNumberValue();
                case VALUE_NUMBER_FLOAT ->
                    ctxt.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                            ? p.getDecimalValue()
                            : p.getNumberValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject();
                default -> ctxt.handleUnexpectedToken(Object.class, p);
            };
        }

        @Override
        public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
                throws IOException {
            return deserialize(p, ctxt);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Untyped;
        }

        @Override
        public boolean isCachable() {
            return true;
        }

        /** From {@code START_OBJECT}, or from its first name when a caller has read that far. */
        private Map<String, Object> object(JsonParser p, DeserializationContext ctxt) throws IOException {
            Map<String, Object> map = new LinkedHashMap<>();
            String name = p.currentToken() == JsonToken.START_OBJECT ? p.nextFieldName() : p.currentName();
            for (; name != null; name = p.nextFieldName()) {
                checkKey(p, name, path(p.getParsingContext().getParent()));
                p.nextToken();
                map.put(name, deserialize(p, ctxt));
            }
            return map;
        }

        private List<Object> array(JsonParser p, DeserializationContext ctxt) throws IOException {
            List<Object> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(deserialize(p, ctxt));
            }
            return list;
        }
    }

    /** {@code JsonNode} trees, read by Jackson's tree reader and then walked. */
    private static final class Trees extends JsonDeserializer<JsonNode> {

        private static final JsonDeserializer<? extends JsonNode> TREES =
                JsonNodeDeserializer.getDeserializer(JsonNode.class);

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = TREES.deserialize(p, ctxt);
            walk(p, node, new StringBuilder(path(p.getParsingContext())));
            return node;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return ctxt.getNodeFactory().nullNode();
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Untyped;
        }

        @Override
        public boolean isCachable() {
            return true;
        }

        private static void walk(JsonParser p, JsonNode node, StringBuilder at) throws IOException {
            int length = at.length();
            if (node.isTextual()) {
                check(p, node.textValue(), at.toString());
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    checkKey(p, field.getKey(), at.toString());
                    walk(p, field.getValue(), appendName(at, field.getKey()));
                    at.setLength(length);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(p, node.get(i), at.append('[').append(i).append(']'));
                    at.setLength(length);
                }
            }
        }
    }

    /**
     * A tree read without the check, for a field whose parts are checked one by one later, so that one bad part does
     * not refuse the whole request (a batch's items): {@code @JsonDeserialize(using = StorableTextModule.Unchecked.class)}.
     */
    public static final class Unchecked extends JsonDeserializer<JsonNode> {

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Trees.TREES.deserialize(p, ctxt);
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return ctxt.getNodeFactory().nullNode();
        }
    }

    private static void check(JsonParser p, String text, String at) throws UnstorableTextException {
        var problem = StorableText.problem(text);
        if (problem.isPresent()) {
            throw new UnstorableTextException(p, at.isEmpty() ? UnstorableTextException.WHOLE_BODY : at, problem.get());
        }
    }

    private static void checkKey(JsonParser p, String key, String at) throws UnstorableTextException {
        var problem = StorableText.problem(key);
        if (problem.isPresent()) {
            throw new UnstorableTextException(
                    p, at.isEmpty() ? UnstorableTextException.WHOLE_BODY : at, keyReason(problem.get()));
        }
    }

    private static String keyReason(String reason) {
        return "has a key that " + reason;
    }

    /**
     * The request's own notation for where the parser is ({@code messages[0].content}); names are as sent, a name that
     * cannot be stored shown as {@code ?}.
     */
    static String path(JsonStreamContext context) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(c);
        }
        StringBuilder at = new StringBuilder();
        for (int i = chain.size() - 1; i >= 0; i--) {
            JsonStreamContext c = chain.get(i);
            if (c.inArray()) {
                at.append('[').append(Math.max(c.getCurrentIndex(), 0)).append(']');
            } else if (c.getCurrentName() != null) {
                appendName(at, c.getCurrentName());
            }
        }
        return at.toString();
    }

    private static StringBuilder appendName(StringBuilder at, String name) {
        if (!at.isEmpty()) {
            at.append('.');
        }
        return at.append(StorableText.problem(name).isPresent() ? "?" : name);
    }
}
