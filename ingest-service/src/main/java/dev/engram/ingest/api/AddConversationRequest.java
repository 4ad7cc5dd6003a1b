package dev.engram.ingest.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v4/conversations}. Fields are loosely typed so that a wrong type is reported by the validator
 * with the field's name.
 *
 * @param conversationId the client's id for the conversation (the custom id rules: at most 100 of letters, digits,
 *     {@code _ - . :}); required
 * @param messages every turn so far, oldest first: objects {@code {role, content, name?, createdAt?}} with role
 *     {@code user}, {@code assistant}, {@code system} or {@code tool}, content a string or an array of
 *     {@code {"type": "text", "text": "..."}} parts, name the speaker, createdAt an ISO-8601 date-time; 1 to 1000
 * @param containerTag the scope of the conversation's memories; {@code sm_project_default} when absent
 * @param containerTags list form; its first element is used when {@code containerTag} is absent
 * @param metadata flat metadata: string, number, boolean or string-list values
 * @param entityContext context for the container tag that guides memory extraction (≤ 1500 characters)
 */
public record AddConversationRequest(
        Object conversationId,
        Object messages,
        Object containerTag,
        List<Object> containerTags,
        Map<String, Object> metadata,
        Object entityContext) {}
