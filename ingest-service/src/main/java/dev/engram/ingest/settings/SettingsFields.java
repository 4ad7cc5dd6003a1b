package dev.engram.ingest.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.ingest.api.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fields of {@code /v3/settings} as the SDK ({@code supermemory@4.25.4}, {@code resources/settings.ts}) names
 * them: how a PATCH body is checked and applied, and how settings are answered. Secrets ({@code *ClientSecret}) are
 * write-only: answered as {@value #MASK} when set, and a PATCH sending {@value #MASK} keeps the stored one (so a
 * settings object read and sent back unchanged does not overwrite a secret with the mask).
 */
public final class SettingsFields {

    /** Smallest {@code chunkSize}: below this a chunk holds little more than its heading path. */
    public static final int MIN_CHUNK_SIZE = 32;

    /** Largest {@code chunkSize}: MiniLM reads 256 tokens, two of them its own start and end markers. */
    public static final int MAX_CHUNK_SIZE = 254;

    /** Longest {@code filterPrompt}, in characters. */
    public static final int MAX_FILTER_PROMPT = 4000;

    /** Longest connector client id or secret, in characters. */
    public static final int MAX_CONNECTOR_TEXT = 1000;

    /** Largest {@code includeItems} or {@code excludeItems}, as JSON text. */
    public static final int MAX_ITEMS_JSON = 65_536;

    /** What a set secret is answered as. */
    public static final String MASK = "***";

    /** The connectors whose settings the SDK carries; Engram has none of them. */
    public static final List<String> CONNECTORS = List.of("github", "googleDrive", "notion", "onedrive");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every field, in the order they are answered. */
    public static final List<String> ALL;

    static {
        List<String> all = new ArrayList<>(
                List.of("chunkSize", "shouldLLMFilter", "filterPrompt", "includeItems", "excludeItems"));
        for (String connector : CONNECTORS) {
            all.add(connector + "ClientId");
            all.add(connector + "ClientSecret");
            all.add(connector + "CustomKeyEnabled");
        }
        ALL = List.copyOf(all);
    }

    private SettingsFields() {}

    /** Whether {@code field} is a connector secret. */
    public static boolean isSecret(String field) {
        return field.endsWith("ClientSecret");
    }

    /** Whether {@code field} is one of the connectors' settings. */
    public static boolean isConnectorField(String field) {
        return CONNECTORS.stream().anyMatch(field::startsWith);
    }

    /**
     * Checks a PATCH body: every field known and of the right type and size. Returns the changes, by field name, with
     * {@code null} values meaning "back to the default".
     *
     * @throws InvalidRequestException naming the first field at fault
     */
    public static Map<String, Object> changes(Map<String, Object> body) {
        if (body == null) {
            throw new InvalidRequestException("body", "a JSON object with the settings to change is required");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : body.entrySet()) {
            String field = entry.getKey();
            if (!ALL.contains(field)) {
                throw new InvalidRequestException(
                        field, "is not a setting; the settings are " + String.join(", ", ALL));
            }
            changes.put(field, check(field, entry.getValue()));
        }
        return changes;
    }

    private static Object check(String field, Object value) {
        if (value == null) {
            return null;
        }
        switch (field) {
            case "chunkSize" -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    throw new InvalidRequestException(
                            field,
                            "must be a whole number of tokens from " + MIN_CHUNK_SIZE + " to " + MAX_CHUNK_SIZE
                                    + ", or null for the default");
                }
                long size = ((Number) value).longValue();
                if (size < MIN_CHUNK_SIZE || size > MAX_CHUNK_SIZE) {
                    throw new InvalidRequestException(
                            field,
                            "must be from " + MIN_CHUNK_SIZE + " to " + MAX_CHUNK_SIZE + " tokens, was " + size
                                    + " (chunks are measured in the embedding model's tokens, and it reads at most "
                                    + MAX_CHUNK_SIZE + ")");
                }
                return (int) size;
            }
            case "filterPrompt" -> {
                return text(field, value, MAX_FILTER_PROMPT);
            }
            case "includeItems", "excludeItems" -> {
                if (json(value).length() > MAX_ITEMS_JSON) {
                    throw new InvalidRequestException(field, "must be at most " + MAX_ITEMS_JSON + " bytes of JSON");
                }
                return value;
            }
            default -> {
                if (field.equals("shouldLLMFilter") || field.endsWith("CustomKeyEnabled")) {
                    if (!(value instanceof Boolean)) {
                        throw new InvalidRequestException(field, "must be true, false or null");
                    }
                    return value;
                }
                return text(field, value, MAX_CONNECTOR_TEXT);
            }
        }
    }

    private static String text(String field, Object value, int max) {
        if (!(value instanceof String text)) {
            throw new InvalidRequestException(field, "must be a string or null");
        }
        if (text.length() > max) {
            throw new InvalidRequestException(field, "must be at most " + max + " characters");
        }
        return text;
    }

    /**
     * {@code current} with {@code changes} applied. A secret sent as {@value #MASK} keeps its stored value; a null
     * {@code shouldLLMFilter} turns the filter off (its default).
     */
    public static OrgSettings apply(OrgSettings current, Map<String, Object> changes) {
        Integer chunkSize = current.chunkSize();
        boolean filter = current.shouldLlmFilter();
        String prompt = current.filterPrompt();
        Object include = current.includeItems();
        Object exclude = current.excludeItems();
        Map<String, Object> connectors = new HashMap<>(current.connectors());
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            Object value = change.getValue();
            switch (change.getKey()) {
                case "chunkSize" -> chunkSize = (Integer) value;
                case "shouldLLMFilter" -> filter = Boolean.TRUE.equals(value);
                case "filterPrompt" -> prompt = (String) value;
                case "includeItems" -> include = value;
                case "excludeItems" -> exclude = value;
                default -> {
                    if (isSecret(change.getKey()) && MASK.equals(value)) {
                        continue;
                    }
                    if (value == null) {
                        connectors.remove(change.getKey());
                    } else {
                        connectors.put(change.getKey(), value);
                    }
                }
            }
        }
        return new OrgSettings(chunkSize, filter, prompt, include, exclude, connectors);
    }

    /** The value of {@code field} as answered: secrets masked. */
    public static Object answer(OrgSettings settings, String field) {
        Object value = switch (field) {
            case "chunkSize" -> settings.chunkSize();
            case "shouldLLMFilter" -> settings.shouldLlmFilter();
            case "filterPrompt" -> settings.filterPrompt();
            case "includeItems" -> settings.includeItems();
            case "excludeItems" -> settings.excludeItems();
            default -> settings.connectors().get(field);
        };
        return isSecret(field) && value != null ? MASK : value;
    }

    /** Every field, as answered by {@code GET /v3/settings}. */
    public static Map<String, Object> answer(OrgSettings settings) {
        Map<String, Object> answer = new LinkedHashMap<>();
        for (String field : ALL) {
            answer.put(field, answer(settings, field));
        }
        return answer;
    }

    /** The fields whose stored value differs between {@code before} and {@code after}, as answered. */
    public static Map<String, Object> changed(OrgSettings before, OrgSettings after) {
        Map<String, Object> changed = new LinkedHashMap<>();
        for (String field : ALL) {
            if (!Objects.equals(raw(before, field), raw(after, field))) {
                changed.put(field, answer(after, field));
            }
        }
        return changed;
    }

    private static Object raw(OrgSettings settings, String field) {
        return isSecret(field) ? settings.connectors().get(field) : answer(settings, field);
    }

    /** {@code value} as JSON text. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** JSON text read back ({@code null} for SQL null). */
    static Object parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable settings column: " + e.getOriginalMessage(), e);
        }
    }
}
