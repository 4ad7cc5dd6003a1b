package dev.engram.search.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.memory.extract.llm.LenientJson;
import dev.engram.search.config.SearchConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * One JSON-mode chat completion ({@code response_format: json_object}) against the configured OpenAI-compatible
 * endpoint ({@link SearchConfig.Llm}), its answer read leniently ({@link LenientJson}: fences, prose, trailing commas).
 * Each call is bounded by the configured timeout; every failure is an {@link LlmCallException}.
 */
@ApplicationScoped
public class ChatClient {

    private static final Logger LOG = Logger.getLogger(ChatClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SearchConfig config;

    private HttpClient http;

    /** Whether an endpoint and a model are configured. */
    public boolean configured() {
        return config.llm().baseUrl().filter(url -> !url.isBlank()).isPresent()
                && config.llm().model().filter(model -> !model.isBlank()).isPresent();
    }

    /**
     * The JSON object the model answers to {@code system} and {@code user}.
     *
     * @param task what the call is for, for logs and error messages ({@code rerank}, {@code rewriteQuery}, ...)
     * @throws LlmCallException when the endpoint cannot be reached, is too slow, answers an error or no JSON object
     * @throws IllegalStateException when no endpoint is configured (check {@link #configured()} first)
     */
    public JsonNode completeJson(String task, String system, String user) throws LlmCallException {
        if (!configured()) {
            throw new IllegalStateException("no search LLM is configured");
        }
        SearchConfig.Llm llm = config.llm();
        Duration timeout = llm.timeout();
        URI endpoint = URI.create(llm.baseUrl().orElseThrow().replaceAll("/+$", "") + "/chat/completions");
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(llm.model().orElseThrow(), system, user)));
        llm.apiKey().filter(key -> !key.isBlank()).ifPresent(key -> request.header("Authorization", "Bearer " + key));
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http(timeout).send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new LlmCallException("the LLM did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new LlmCallException(
                    "the LLM could not be reached (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmCallException("interrupted while waiting for the LLM", e);
        }
        LOG.debugf(
                "search llm %s: status %d in %d ms",
                task, response.statusCode(), (System.nanoTime() - started) / 1_000_000);
        if (response.statusCode() / 100 != 2) {
            throw new LlmCallException("the LLM answered HTTP " + response.statusCode());
        }
        JsonNode answer = LenientJson.read(content(response.body())).orElse(null);
        if (answer == null || !answer.isObject()) {
            throw new LlmCallException("the LLM's answer held no JSON object");
        }
        return answer;
    }

    private static String body(String model, String system, String user) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("temperature", 0);
        body.putObject("response_format").put("type", "json_object");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return body.toString();
    }

    /** The first choice's message content (a string, or the text of content parts). */
    private static String content(String body) throws LlmCallException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new LlmCallException("the LLM's response is not JSON");
        }
        JsonNode content = root == null
                ? null
                : root.path("choices").path(0).path("message").path("content");
        if (content == null || content.isMissingNode() || content.isNull()) {
            throw new LlmCallException("the LLM's response has no message content");
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.path("text").asText("")));
            return text.toString();
        }
        return content.asText();
    }

    private synchronized HttpClient http(Duration timeout) {
        if (http == null) {
            // HTTP/1.1: plain-http servers differ in how they treat an h2c upgrade
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout)
                    .build();
        }
        return http;
    }

    @PreDestroy
    synchronized void close() {
        if (http != null) {
            http.close();
        }
    }
}
