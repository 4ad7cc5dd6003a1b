package dev.engram.vectors.qdrant;

import io.qdrant.client.grpc.Points.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Payload keys of the Qdrant layout. Each point's payload holds {@link #POINT_ID}, {@link #ORG_ID},
 * {@link #CONTAINER_TAG}, {@link #DOCUMENT_ID}, {@link #TEXT}, the original {@link #METADATA} and
 * {@link #ATTRIBUTES}, and under {@link #INDEX} one object per metadata key with its filterable projections (see
 * {@link dev.engram.vectors.IndexedValue}). Metadata keys are encoded so that any key is a safe payload path
 * segment.
 */
final class QdrantFields {

    /** The point's own id (Qdrant's id is a UUID derived from it). */
    static final String POINT_ID = "point_id";
    /** Keyword index. */
    static final String ORG_ID = "org_id";
    /** Keyword index marked as the tenant ({@code is_tenant}). */
    static final String CONTAINER_TAG = "container_tag";
    /** Keyword index. */
    static final String DOCUMENT_ID = "document_id";
    /** The text (not indexed here; lexical search is separate). */
    static final String TEXT = "text";
    /** The metadata as given, returned with hits. */
    static final String METADATA = "metadata";
    /** The attributes as given, returned with hits. */
    static final String ATTRIBUTES = "attributes";
    /** Filterable projections of the metadata; never returned with hits. */
    static final String INDEX = "mx";

    /** Keyword: canonical text of a scalar. */
    static final String SCALAR = "eq";
    /** Keyword: case-folded canonical text of a scalar. */
    static final String SCALAR_FOLDED = "eqi";
    /** Keywords: canonical texts of list elements. */
    static final String ELEMENTS = "arr";
    /** Keywords: case-folded canonical texts of list elements. */
    static final String ELEMENTS_FOLDED = "arri";
    /** String value; must never get a full-text index (text match on it must stay an exact substring test). */
    static final String TEXT_VALUE = "str";
    /** Lower-cased string value; must never get a full-text index either. */
    static final String TEXT_LOWER = "stri";
    /** Float: numeric value. */
    static final String NUMBER = "num";

    /**
     * Payload indexes of the memories collection, by path: the attributes that searches for current memories test
     * ({@link dev.engram.core.vectors.AttributeCondition}s on {@code isLatest}, {@code isForgotten} and
     * {@code forgetAfter}).
     */
    static final Map<String, FieldType> MEMORY_ATTRIBUTE_INDEXES = Map.of(
            attributePath("isLatest"), FieldType.FieldTypeBool,
            attributePath("isForgotten"), FieldType.FieldTypeBool,
            attributePath("forgetAfter"), FieldType.FieldTypeInteger);

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QdrantFields() {}

    /**
     * Payload path of attribute {@code key}, e.g. {@code attributes.isLatest}; the key is used as is, which is safe
     * for {@link dev.engram.core.vectors.AttributeCondition} keys (letters, digits and {@code _} only).
     */
    static String attributePath(String key) {
        return ATTRIBUTES + "." + key;
    }

    /** Payload path of one projection of metadata key {@code key}, e.g. {@code mx.color.eq}. */
    static String path(String key, String projection) {
        return INDEX + "." + encodeKey(key) + "." + projection;
    }

    /**
     * Encodes a metadata key as a path segment of ASCII letters and digits: every other character's UTF-8 bytes
     * become {@code _XX} (hex), including {@code _} itself, so the encoding is injective ({@code user_id} &rarr;
     * {@code user_5Fid}).
     */
    static String encodeKey(String key) {
        StringBuilder encoded = new StringBuilder(key.length() + 8);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                encoded.append(c);
            } else {
                encoded.append('_').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return encoded.isEmpty() ? "_" : encoded.toString();
    }
}
