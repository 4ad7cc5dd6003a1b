package dev.engram.ingest.conversations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.engram.core.events.ConversationMessage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fingerprint of a conversation's state: SHA-256 over its messages and metadata in a canonical JSON form (map keys
 * sorted, instants in ISO-8601). Two requests describe the same conversation exactly when their hashes are equal.
 */
final class ConversationHash {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ConversationHash() {}

    /** Hex SHA-256 of the messages and metadata. */
    static String of(List<ConversationMessage> messages, Map<String, Object> metadata) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("messages", messages);
        state.put("metadata", metadata);
        try {
            byte[] json = CANONICAL.writeValueAsBytes(state);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("conversation cannot be serialised", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
