package dev.engram.router.chat;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the text out of a message's content in either API: a string, or an array of typed parts. */
final class ChatText {

    private ChatText() {}

    /** The content's text: the string itself, or its text parts joined with blank lines; empty when there is none. */
    static String of(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (isText(part) && part.path("text").isTextual()) {
                    if (!text.isEmpty()) {
                        text.append("\n\n");
                    }
                    text.append(part.path("text").asText());
                }
            }
        }
        return text.toString();
    }

    /** The parts that are neither text nor images (tool calls and results), as JSON, for counting tokens. */
    static String nonText(JsonNode content) {
        if (content == null || !content.isArray()) {
            return "";
        }
        StringBuilder json = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText("");
            if (!isText(part) && !type.startsWith("image") && !type.equals("input_audio")) {
                json.append(part);
            }
        }
        return json.toString();
    }

    /** Whether the content holds an Anthropic tool result. */
    static boolean hasToolResult(JsonNode content) {
        if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                if (part.path("type").asText("").equals("tool_result")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isText(JsonNode part) {
        String type = part.path("type").asText("");
        return type.equals("text") || type.equals("input_text");
    }
}
