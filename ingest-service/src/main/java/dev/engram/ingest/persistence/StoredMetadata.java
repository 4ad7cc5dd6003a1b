package dev.engram.ingest.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** A document's {@code metadata} column read as text ({@code metadata::text}) by queries that bypass the entities. */
public final class StoredMetadata {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private StoredMetadata() {}

    /** The stored JSON object as a map. */
    public static Map<String, Object> parse(ObjectMapper json, String text) {
        try {
            return json.readValue(text, MAP);
        } catch (Exception e) {
            throw new IllegalStateException("stored metadata is not a JSON object", e);
        }
    }
}
