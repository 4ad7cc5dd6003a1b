package dev.engram.ingest.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v3/documents} (and one object item of a batch), as the Supermemory SDK sends it. Fields are
 * loosely typed so that a wrong type is reported by the validator with the field's name.
 *
 * @param content plain text, or a URL to fetch; required
 * @param containerTag the tag to file the document under; {@code sm_project_default} when absent
 * @param containerTags deprecated list form; its first element is used when {@code containerTag} is absent
 * @param customId the caller's id, which makes re-adding an update
 * @param metadata flat metadata: string, number, boolean or string-list values
 * @param entityContext context for the container tag that guides memory extraction (≤ 1500 characters)
 * @param filepath the caller's path for the document
 * @param taskType {@code memory} (default) or {@code superrag}
 */
public record AddDocumentRequest(
        Object content,
        Object containerTag,
        List<Object> containerTags,
        Object customId,
        Map<String, Object> metadata,
        Object entityContext,
        Object filepath,
        Object taskType) {}
