package dev.engram.router.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Collects the assistant's text from the provider's answer while it is passed on: the deltas of a Server-Sent Events
 * stream (OpenAI {@code choices[0].delta.content}, Anthropic {@code content_block_delta} text) or, for a plain JSON
 * answer, its message text. Bounded: past {@code maxBytes} it stops collecting (the answer is still passed on whole).
 * Not thread-safe; fed in order from one connection.
 */
public final class AnswerCollector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean eventStream;
    private final int maxBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();
    private boolean overflow;

    /**
     * @param eventStream whether the answer is {@code text/event-stream}
     * @param maxBytes most bytes kept (a JSON answer, or one unfinished event line)
     */
    public AnswerCollector(boolean eventStream, int maxBytes) {
        this.eventStream = eventStream;
        this.maxBytes = maxBytes;
    }

    /** Takes the next bytes of the answer. */
    public void feed(byte[] chunk) {
        if (overflow) {
            return;
        }
        if (!eventStream) {
            if (pending.size() + chunk.length > maxBytes) {
                overflow = true;
                pending.reset();
                return;
            }
            pending.writeBytes(chunk);
            return;
        }
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                pending.write(chunk, start, i - start);
                line(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                start = i + 1;
            }
        }
        pending.write(chunk, start, chunk.length - start);
        if (pending.size() > maxBytes || text.length() > maxBytes) {
            overflow = true;
            pending.reset();
        }
    }

    /** The assistant's text so far (all of it once the answer ended); empty when there is none or it overflowed. */
    public String answer() {
        if (overflow) {
            return "";
        }
        if (!eventStream) {
            return message(pending.toByteArray());
        }
        if (pending.size() > 0) {
            line(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
        return text.toString();
    }

    private void line(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("data:")) {
            return;
        }
        String data = trimmed.substring(5).strip();
        if (data.isEmpty() || data.equals("[DONE]")) {
            return;
        }
        JsonNode event;
        try {
            event = JSON.readTree(data);
        } catch (IOException e) {
            return; // not JSON: nothing to collect, still passed on
        }
        JsonNode choices = event.get("choices");
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            JsonNode content = choices.get(0).path("delta").get("content");
            if (content != null && content.isTextual()) {
                text.append(content.asText());
            }
            return;
        }
        if ("content_block_delta".equals(event.path("type").asText())) {
            JsonNode delta = event.path("delta");
            if ("text_delta".equals(delta.path("type").asText())) {
                text.append(delta.path("text").asText(""));
            }
        }
    }

    private static String message(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            return "";
        }
        if (answer == null) {
            return "";
        }
        JsonNode choices = answer.get("choices");
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            return ChatText.of(choices.get(0).path("message").get("content"));
        }
        return ChatText.of(answer.get("content")); // Anthropic: content blocks
    }
}
