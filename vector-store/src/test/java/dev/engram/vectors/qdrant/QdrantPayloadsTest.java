package dev.engram.vectors.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.vectors.VectorPoint;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QdrantPayloadsTest {

    @Test
    void aPointSurvivesTheRoundTripWithIntegersAsLongs() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("s", "text");
        metadata.put("i", 3);
        metadata.put("d", 2.5);
        metadata.put("b", true);
        metadata.put("list", List.of("a", 1L));
        metadata.put("nested", Map.of("k", "v"));
        VectorPoint point =
                new VectorPoint("p1", "org", "tag", "doc", new float[] {1}, "hello", metadata, Map.of("position", 7));

        VectorPoint back = QdrantPayloads.toPoint(QdrantPayloads.toPayload(point));

        assertThat(back.id()).isEqualTo("p1");
        assertThat(back.orgId()).isEqualTo("org");
        assertThat(back.containerTag()).isEqualTo("tag");
        assertThat(back.documentId()).isEqualTo("doc");
        assertThat(back.text()).isEqualTo("hello");
        assertThat(back.metadata())
                .containsEntry("s", "text")
                .containsEntry("i", 3L)
                .containsEntry("d", 2.5)
                .containsEntry("b", true)
                .containsEntry("list", List.of("a", 1L))
                .containsEntry("nested", Map.of("k", "v"));
        assertThat(back.attributes()).isEqualTo(Map.of("position", 7L));
    }

    @Test
    void thePayloadCarriesTheFilterableProjectionsUnderEncodedKeys() {
        VectorPoint point = new VectorPoint(
                "p1",
                "org",
                "tag",
                "doc",
                new float[] {1},
                "x",
                Map.of("Color", "Red", "n", -0.0, "tags", List.of("News", 2.0)),
                Map.of());

        Map<String, Value> index =
                QdrantPayloads.toPayload(point).get("mx").getStructValue().getFieldsMap();

        assertThat(index.get("Color").getStructValue().getFieldsMap())
                .containsEntry("eq", Value.newBuilder().setStringValue("Red").build())
                .containsEntry("eqi", Value.newBuilder().setStringValue("red").build())
                .containsEntry("str", Value.newBuilder().setStringValue("Red").build())
                .containsEntry("stri", Value.newBuilder().setStringValue("red").build())
                .doesNotContainKey("num");
        assertThat(index.get("n").getStructValue().getFieldsMap().get("num").getDoubleValue())
                .isEqualTo(0.0)
                .isNotNegative();
        assertThat(index.get("tags")
                        .getStructValue()
                        .getFieldsMap()
                        .get("arri")
                        .getListValue()
                        .getValuesList())
                .extracting(Value::getStringValue)
                .containsExactly("news", "2");
    }

    @Test
    void nonFiniteNumbersAreStoredAsNullAndLeftOutOnTheWayBack() {
        VectorPoint point = new VectorPoint(
                "p1", "org", "tag", "doc", new float[] {1}, "x", Map.of("inf", Double.POSITIVE_INFINITY), Map.of());

        Map<String, Value> payload = QdrantPayloads.toPayload(point);

        assertThat(payload.get("metadata")
                        .getStructValue()
                        .getFieldsMap()
                        .get("inf")
                        .getKindCase())
                .isEqualTo(Value.KindCase.NULL_VALUE);
        assertThat(payload.get("mx")
                        .getStructValue()
                        .getFieldsMap()
                        .get("inf")
                        .getStructValue()
                        .getFieldsMap())
                .doesNotContainKey("num");
        assertThat(QdrantPayloads.toPoint(payload).metadata()).isEmpty();
    }
}
