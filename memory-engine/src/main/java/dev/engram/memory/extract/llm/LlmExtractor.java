package dev.engram.memory.extract.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.memory.extract.ExtractionFailedException;
import dev.engram.memory.extract.ExtractionFailedException.Reason;
import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.ExtractionResult;
import dev.engram.memory.extract.MemoryExtractor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Extracts memories with a language model behind any OpenAI-compatible {@code POST {baseUrl}/chat/completions}
 * (OpenAI, vLLM, Ollama, LM Studio, LocalAI, llama.cpp server...), asking for a JSON object
 * ({@code response_format: json_object}).
 *
 * <p>The prompt ({@link ExtractionPrompt}) shows the known memories as {@code m1...} and the turns as {@code t1...};
 * the answer ({@link AnswerParser}) maps them back. An answer that cannot be used — no readable JSON, an empty
 * choice, an unknown action, or an id the prompt did not show — is asked for once more, with the problem named; if
 * the second answer is no better, extraction fails, not retriable.
 *
 * <p>Failures are {@link ExtractionFailedException}s, never an empty result: retriable for 408, 429 and 5xx answers,
 * timeouts and connection failures; not retriable for other 4xx answers (bad key, unknown model) and persistently
 * malformed answers. Messages and logs carry the endpoint, statuses, ids and counts, never prompt or memory text or the
 * key.
 *
 * <p>Thread-safe; close it to release its HTTP client.
 */
public final class LlmExtractor implements MemoryExtractor {

    /** {@link #name()}. */
    public static final String NAME = "llm";

    /** Answers asked for per extraction: the first, and one more if it was malformed. */
    static final int MAX_ATTEMPTS = 2;

    private static final Logger LOG = Logger.getLogger(LlmExtractor.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUOTED_ERROR_CHARS = 200;

    private final LlmExtractorConfig config;
    private final URI endpoint;
    private final HttpClient http;

    /** An extractor calling the endpoint {@code config} describes. */
    public LlmExtractor(LlmExtractorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        String base = config.baseUrl().toString();
        this.endpoint =
                URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
        // HTTP/1.1: plain-http servers differ in how they treat an h2c upgrade.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .build();
    }

    /** {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /** The configuration this extractor calls the endpoint with. */
    public LlmExtractorConfig config() {
        return config;
    }

    /**
     * Asks the model for the memory operations in {@code request}.
     *
     * @throws ExtractionFailedException see the class comment for which failures are retriable
     */
    @Override
    public ExtractionResult extract(ExtractionRequest request) throws ExtractionFailedException {
        Objects.requireNonNull(request, "request");
        ExtractionPrompt prompt = ExtractionPrompt.of(request, config.maxKnown());
        String problem = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long started = System.nanoTime();
            try {
                String answer = complete(prompt, problem);
                AnswerParser.Parsed parsed = AnswerParser.parse(answer, prompt);
                ExtractionResult result = new ExtractionResult(parsed.operations()).validate(request);
                if (LOG.isLoggable(Level.FINE)) {
                    LOG.fine(String.format(
                            "llm extraction: attempt %d, %d turns, %d of %d known shown, %d operations,"
                                    + " %d items skipped, %d dates dropped, sources defaulted %b, %d ms",
                            attempt,
                            request.turns().size(),
                            prompt.knownIds().size(),
                            request.known().size(),
                            result.operations().size(),
                            parsed.leniency().skippedItems(),
                            parsed.leniency().droppedDates(),
                            parsed.leniency().defaultedSources(),
                            (System.nanoTime() - started) / 1_000_000));
                }
                return result;
            } catch (MalformedAnswerException e) {
                problem = e.getMessage();
                int failedAttempt = attempt;
                LOG.fine(() -> "llm extraction: unusable answer on attempt " + failedAttempt + ": " + e.getMessage());
            }
        }
        throw new ExtractionFailedException(
                Reason.MALFORMED_ANSWER,
                "model " + config.model() + " at " + endpoint + " gave no usable answer in " + MAX_ATTEMPTS
                        + " attempts: " + problem,
                null);
    }

    /** One chat completion; its message content. */
    private String complete(ExtractionPrompt prompt, String previousProblem)
            throws ExtractionFailedException, MalformedAnswerException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(prompt, previousProblem)));
        if (config.apiKey() != null) {
            request.header("Authorization", "Bearer " + config.apiKey());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ExtractionFailedException(
                    Reason.TIMEOUT, "LLM endpoint " + endpoint + " did not answer within " + config.timeout(), e);
        } catch (ConnectException e) {
            throw new ExtractionFailedException(Reason.TRANSPORT, "cannot connect to LLM endpoint " + endpoint, e);
        } catch (IOException e) {
            throw new ExtractionFailedException(
                    Reason.TRANSPORT,
                    "request to LLM endpoint " + endpoint + " failed: "
                            + e.getClass().getSimpleName(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtractionFailedException(
                    Reason.INTERRUPTED, "interrupted while waiting for LLM endpoint " + endpoint, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw statusError(status, response);
        }
        return content(response.body());
    }

    private String requestBody(ExtractionPrompt prompt, String previousProblem) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", config.model());
        if (!Double.isNaN(config.temperature())) {
            body.put("temperature", config.temperature());
        }
        body.putObject("response_format").put("type", "json_object");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", ExtractionPrompt.SYSTEM);
        messages.addObject().put("role", "user").put("content", prompt.user());
        if (previousProblem != null) {
            messages.addObject()
                    .put("role", "user")
                    .put(
                            "content",
                            "Your previous answer could not be used: " + previousProblem
                                    + ". Answer again with only the JSON object, using only the ids shown above.");
        }
        return body.toString();
    }

    /** The first choice's message content. */
    private static String content(String body) throws MalformedAnswerException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedAnswerException("the response body is not JSON");
        }
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new MalformedAnswerException("the response has no choices");
        }
        JsonNode message = choices.get(0).path("message");
        JsonNode content = message.path("content");
        if (content.isArray()) { // content parts
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.path("text").asText("")));
            return requireText(text.toString(), message);
        }
        return requireText(content.isTextual() ? content.asText() : "", message);
    }

    private static String requireText(String text, JsonNode message) throws MalformedAnswerException {
        if (text.isBlank()) {
            throw new MalformedAnswerException(
                    message.hasNonNull("refusal") ? "the model refused" : "the first choice has no content");
        }
        return text;
    }

    private ExtractionFailedException statusError(int status, HttpResponse<String> response) {
        Reason reason = status == 429
                ? Reason.RATE_LIMITED
                : status == 408 || status >= 500 ? Reason.SERVER_ERROR : Reason.REJECTED;
        StringBuilder message = new StringBuilder("LLM endpoint ")
                .append(endpoint)
                .append(" answered HTTP ")
                .append(status);
        if (status == 429) {
            response.headers()
                    .firstValue("Retry-After")
                    .ifPresent(after ->
                            message.append(" (retry after ").append(after).append(" s)"));
        }
        String detail = errorDetail(response.body());
        if (!detail.isEmpty()) {
            message.append(": ").append(detail);
        }
        return new ExtractionFailedException(reason, message.toString(), null);
    }

    /** The {@code error.message} (or {@code error} string) of an error body, shortened; empty if there is none. */
    private static String errorDetail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String detail;
        try {
            JsonNode error = JSON.readTree(body).path("error");
            detail = error.isTextual() ? error.asText() : error.path("message").asText("");
        } catch (JsonProcessingException e) {
            detail = "";
        }
        detail = detail.strip().replaceAll("\\s+", " ");
        return detail.length() <= MAX_QUOTED_ERROR_CHARS ? detail : detail.substring(0, MAX_QUOTED_ERROR_CHARS) + "…";
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "LlmExtractor[" + config + "]";
    }
}
