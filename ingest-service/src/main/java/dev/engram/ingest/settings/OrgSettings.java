package dev.engram.ingest.settings;

import java.util.Map;
import java.util.Objects;

/**
 * An organisation's settings as stored in {@code ingest.org_settings}.
 *
 * @param chunkSize largest chunk in embedding-model tokens, or {@code null} for the installation's default
 * @param shouldLlmFilter whether new documents are first judged by the extraction LLM with {@code filterPrompt}
 * @param filterPrompt what the LLM keeps, in the user's words; {@code null} when none was given
 * @param includeItems connector setting, any JSON value (or {@code null}); stored only
 * @param excludeItems connector setting, any JSON value (or {@code null}); stored only
 * @param connectors the connector credentials and switches by their SDK field name (e.g. {@code githubClientId});
 *     stored only, secrets included in clear, never answered in clear
 */
public record OrgSettings(
        Integer chunkSize,
        boolean shouldLlmFilter,
        String filterPrompt,
        Object includeItems,
        Object excludeItems,
        Map<String, Object> connectors) {

    /** The settings of an organisation that never changed any. */
    public static final OrgSettings DEFAULTS = new OrgSettings(null, false, null, null, null, Map.of());

    public OrgSettings {
        connectors = Map.copyOf(Objects.requireNonNull(connectors, "connectors"));
    }
}
