package dev.engram.memory.extract.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Reads the JSON value in a language model's answer, forgiving what models do to it.
 *
 * <ul>
 *   <li>Markdown code fences ({@code ```json ... ```}): the first fenced block is read, or everything after an
 *       unclosed fence.
 *   <li>Prose before or after: reading starts at the first {@code {} or {@code [} that begins a readable value and
 *       stops at its end.
 *   <li>Trailing commas, comments and single-quoted strings.
 *   <li>A truncated answer (the model ran out of tokens): cut back to the last complete element of an array and the
 *       open brackets closed, so every complete object is kept and the partial one dropped.
 * </ul>
 *
 * Thread-safe.
 */
public final class LenientJson {

    /** Most candidate starting brackets tried before giving up. */
    private static final int MAX_STARTS = 16;

    private static final ObjectMapper JSON = JsonMapper.builder(new JsonFactory())
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .build();

    private LenientJson() {}

    /**
     * The JSON object or array in {@code answer}, or empty if none can be read or recovered.
     *
     * @param answer a model's answer, possibly fenced, wrapped in prose or truncated; {@code null} reads as nothing
     */
    public static Optional<JsonNode> read(String answer) {
        if (answer == null || answer.isBlank()) {
            return Optional.empty();
        }
        String text = unfence(answer);
        int tried = 0;
        for (int start = nextBracket(text, 0); start >= 0 && tried < MAX_STARTS; start = nextBracket(text, start + 1)) {
            tried++;
            Optional<JsonNode> value = parseFirstValue(text.substring(start));
            if (value.isEmpty()) {
                value = repairTruncated(text.substring(start)).flatMap(LenientJson::parseFirstValue);
            }
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The inside of the first code fence, or {@code answer} if it has none. */
    static String unfence(String answer) {
        int open = answer.indexOf("```");
        if (open < 0) {
            return answer;
        }
        int lineEnd = answer.indexOf('\n', open);
        int from = lineEnd < 0 ? open + 3 : lineEnd + 1;
        int close = answer.indexOf("```", from);
        return close < 0 ? answer.substring(from) : answer.substring(from, close);
    }

    private static int nextBracket(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                return i;
            }
        }
        return -1;
    }

    private static Optional<JsonNode> parseFirstValue(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonNode node = parser.readValueAsTree();
            return node == null || !(node.isObject() || node.isArray()) ? Optional.empty() : Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not thrown for an in-memory string
        }
    }

    /**
     * {@code text} cut after the last element of an array that was complete, with the brackets then open closed;
     * empty if the text is not truncated (all brackets close) or no array element ever completed.
     */
    static Optional<String> repairTruncated(String text) {
        Deque<Character> open = new ArrayDeque<>();
        boolean inString = false;
        char quote = '"';
        boolean escaped = false;
        int cut = -1;
        String closersAtCut = "";
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == quote) {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"', '\'' -> {
                    inString = true;
                    quote = c;
                }
                case '{', '[' -> open.push(c);
                case '}', ']' -> {
                    if (open.isEmpty()) {
                        return Optional.empty();
                    }
                    open.pop();
                    if (open.isEmpty()) {
                        return Optional.empty(); // the value is complete: not a truncation
                    }
                    if (open.peek() == '[') {
                        cut = i + 1;
                        closersAtCut = closers(open);
                    }
                }
                default -> {}
            }
        }
        if (cut < 0) {
            return Optional.empty();
        }
        return Optional.of(text.substring(0, cut) + closersAtCut);
    }

    private static String closers(Deque<Character> open) {
        StringBuilder closers = new StringBuilder(open.size());
        for (char bracket : open) {
            closers.append(bracket == '{' ? '}' : ']');
        }
        return closers.toString();
    }
}
