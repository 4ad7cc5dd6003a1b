package dev.engram.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.engram.core.text.StorableText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorableTextModuleTest {

    /** A request shaped like those the services read: typed strings, untyped values, maps and a tree. */
    record Request(
            String q,
            List<String> tags,
            Object content,
            Map<String, Object> metadata,
            List<Message> messages,
            JsonNode filters,
            String[] names) {}

    record Message(String role, Object content) {}

    private static final ObjectMapper PLAIN = JsonMapper.builder().build();
    private static final ObjectMapper CHECKING =
            JsonMapper.builder().addModule(new StorableTextModule()).build();

    private static final String VALID = """
            {"q":"caf\\u00e9 \\ud83d\\ude00","tags":["a","b"],"content":[{"x":1},"y",null,true,2.5],
             "metadata":{"n":1,"big":123456789012345678901234567890,"f":1.5e300,"list":["p","q"],"deep":{"k":{"v":"w"}}},
             "messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"text","text":"yo"}]}],
             "filters":{"AND":[{"key":"k","value":"v"}]},"names":["n1"]}
            """;

    @Test
    void storableRequestsReadExactlyAsWithoutTheModule() throws Exception {
        Request checked = CHECKING.readValue(VALID, Request.class);
        Request plain = PLAIN.readValue(VALID, Request.class);

        assertThat(checked.q()).isEqualTo(plain.q());
        assertThat(checked.tags()).isEqualTo(plain.tags());
        assertThat(checked.content()).isEqualTo(plain.content());
        assertThat(checked.metadata()).isEqualTo(plain.metadata());
        assertThat(checked.messages()).isEqualTo(plain.messages());
        assertThat(checked.filters()).isEqualTo(plain.filters());
        assertThat(checked.names()).isEqualTo(plain.names());
        assertThat(checked.metadata().get("big")).isInstanceOf(BigInteger.class);
        assertThat(CHECKING.readValue(VALID, Object.class)).isEqualTo(PLAIN.readValue(VALID, Object.class));
        assertThat(CHECKING.readTree(VALID)).isEqualTo(PLAIN.readTree(VALID));
    }

    @Test
    void untypedNumbersFollowTheMappersFeatures() throws Exception {
        ObjectMapper decimals = JsonMapper.builder()
                .addModule(new StorableTextModule())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .build();

        Map<String, Object> read = decimals.readValue("{\"f\":1.5,\"i\":2}", new TypeReference<>() {});

        assertThat(read).containsEntry("f", new BigDecimal("1.5")).containsEntry("i", 2L);
    }

    @Test
    void nulInAnyStringIsRefusedNamingWhereItIs() {
        assertRefused("{\"q\":\"a\\u0000b\"}", "q", StorableText.NUL);
        assertRefused("{\"tags\":[\"ok\",\"\\u0000\"]}", "tags[1]", StorableText.NUL);
        assertRefused("{\"content\":\"x\\u0000\"}", "content", StorableText.NUL);
        assertRefused("{\"content\":[{\"a\":[1,{\"b\":\"\\u0000\"}]}]}", "content[0].a[1].b", StorableText.NUL);
        assertRefused("{\"metadata\":{\"k\":\"\\u0000\"}}", "metadata.k", StorableText.NUL);
        assertRefused("{\"metadata\":{\"k\":[\"a\",\"\\u0000\"]}}", "metadata.k[1]", StorableText.NUL);
        assertRefused(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"\\u0000\"}]}",
                "messages[0].content",
                StorableText.NUL);
        assertRefused(
                "{\"messages\":[{},{\"content\":[{\"type\":\"text\",\"text\":\"\\u0000\"}]}]}",
                "messages[1].content[0].text",
                StorableText.NUL);
        assertRefused(
                "{\"filters\":{\"AND\":[{\"key\":\"k\",\"value\":\"\\u0000\"}]}}",
                "filters.AND[0].value",
                StorableText.NUL);
        assertRefused("{\"names\":[\"\\u0000\"]}", "names[0]", StorableText.NUL);
    }

    @Test
    void anUnpairedSurrogateIsRefusedLikeNul() {
        assertRefused("{\"q\":\"\\ud800\"}", "q", StorableText.UNPAIRED_SURROGATE);
        assertRefused("{\"metadata\":{\"k\":\"x\\udc00\"}}", "metadata.k", StorableText.UNPAIRED_SURROGATE);
        assertRefused("{\"filters\":[\"\\ud800\"]}", "filters[0]", StorableText.UNPAIRED_SURROGATE);
    }

    @Test
    void keysAreCheckedTooAndNamedByTheObjectHoldingThem() {
        assertRefused("{\"metadata\":{\"a\\u0000\":1}}", "metadata", "has a key that " + StorableText.NUL);
        assertRefused(
                "{\"content\":{\"x\":{\"\\ud800\":1}}}",
                "content.x",
                "has a key that " + StorableText.UNPAIRED_SURROGATE);
        assertRefused("{\"filters\":{\"\\u0000\":1}}", "filters", "has a key that " + StorableText.NUL);
    }

    @Test
    void aWholeBodyOfTextIsNamedBody() {
        assertThatThrownBy(() -> CHECKING.readValue("\"\\u0000\"", String.class))
                .isInstanceOfSatisfying(
                        UnstorableTextException.class,
                        e -> assertThat(e.field()).isEqualTo("body"));
        assertThatThrownBy(() -> CHECKING.readValue("{\"\\u0000\":1}", Object.class))
                .isInstanceOfSatisfying(
                        UnstorableTextException.class,
                        e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void anUnknownFieldThatIsSkippedIsNotChecked() throws Exception {
        ObjectMapper lenient = JsonMapper.builder()
                .addModule(new StorableTextModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();

        assertThat(lenient.readValue("{\"q\":\"x\",\"ignored\":\"\\u0000\"}", Request.class)
                        .q())
                .isEqualTo("x");
    }

    record Batch(
            @JsonDeserialize(using = StorableTextModule.Unchecked.class)
            JsonNode items,

            String shared) {}

    @Test
    void aFieldMarkedUncheckedIsReadAsItIsAndTheRestStillChecked() throws Exception {
        Batch batch =
                CHECKING.readValue("{\"items\":[\"ok\",{\"content\":\"a\\u0000\"}],\"shared\":\"s\"}", Batch.class);

        assertThat(batch.items().get(1).get("content").textValue()).isEqualTo("a\u0000");
        assertThat(CHECKING.readValue("{\"items\":null}", Batch.class).items().isNull())
                .isTrue();
        assertThatThrownBy(() -> CHECKING.readValue("{\"items\":[],\"shared\":\"\\u0000\"}", Batch.class))
                .isInstanceOfSatisfying(
                        UnstorableTextException.class,
                        e -> assertThat(e.field()).isEqualTo("shared"));
        assertThatThrownBy(() -> CHECKING.treeToValue(batch.items().get(1), Message.class))
                .isInstanceOfSatisfying(
                        UnstorableTextException.class,
                        e -> assertThat(e.field()).isEqualTo("content"));
    }

    private static void assertRefused(String json, String field, String reason) {
        assertThatThrownBy(() -> CHECKING.readValue(json, Request.class))
                .as(json)
                .isInstanceOfSatisfying(UnstorableTextException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.details()).isEqualTo(field + ": " + reason);
                });
    }
}
