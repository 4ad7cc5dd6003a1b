package dev.engram.ingest.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * Says plainly which stored settings change nothing: the LLM filter without an LLM or without a prompt, and the
 * connector settings (Engram has no connectors). Answered as {@code warnings} beside the settings.
 */
public final class SettingsWarnings {

    private SettingsWarnings() {}

    /** The warnings for {@code settings}, given what memory-writer reported about its LLM; empty when none apply. */
    public static List<String> of(OrgSettings settings, WriterCapabilities.Capability llmFilter) {
        List<String> warnings = new ArrayList<>();
        if (settings.shouldLlmFilter()) {
            if (!llmFilter.known()) {
                warnings.add("shouldLLMFilter may have no effect: memory-writer has not reported whether an"
                        + " extraction LLM is configured (it does so when it starts); without one, documents are not"
                        + " filtered.");
            } else if (!llmFilter.available()) {
                warnings.add("shouldLLMFilter has no effect: memory-writer has no extraction LLM"
                        + (llmFilter.detail() == null ? "" : " (" + llmFilter.detail() + ")")
                        + ", so documents are not filtered. Configure writer.extraction.llm.base-url and"
                        + " writer.extraction.llm.model to use it.");
            }
            if (settings.filterPrompt() == null || settings.filterPrompt().isBlank()) {
                warnings.add("shouldLLMFilter has no effect without a filterPrompt: every document passes.");
            }
        }
        if (settings.includeItems() != null || settings.excludeItems() != null) {
            warnings.add("includeItems and excludeItems are stored but have no effect: Engram has no connectors.");
        }
        if (!settings.connectors().isEmpty()) {
            warnings.add("The " + String.join(", ", SettingsFields.CONNECTORS)
                    + " settings are stored but have no effect: Engram has no connectors.");
        }
        return warnings;
    }
}
