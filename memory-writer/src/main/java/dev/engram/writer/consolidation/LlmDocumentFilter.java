package dev.engram.writer.consolidation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.writer.config.WriterConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The LLM filter of {@code shouldLLMFilter}: before memories are extracted from a document, asks the configured
 * extraction LLM ({@code writer.extraction.llm.*}, any OpenAI-compatible chat endpoint) whether the document is worth
 * remembering by the organisation's {@code filterPrompt}. Available only when a base URL and a model are configured.
 *
 * <p>Failures are never a silent "keep": a timeout, a connection failure or a 408/429/5xx answer is retriable, any
 * other error or an answer without a {@code keep} verdict is not; the caller fails the job with the reason. Logs carry
 * the endpoint and status, never the prompt or document text.
 */
@ApplicationScoped
public class LlmDocumentFilter {

    private static final Logger LOG = Logger.getLogger(LlmDocumentFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Most characters of a document shown to the model. */
    static final int MAX_DOCUMENT_CHARS = 12_000;

    /** Longest reason kept from the model's answer. */
    static final int MAX_REASON_CHARS = 300;

    static final String SYSTEM = "You decide whether a document should be turned into long-term memories for an"
            + " organisation. The organisation describes what it wants to keep below. Answer only with a JSON object:"
            + " {\"keep\": true or false, \"reason\": \"one short sentence\"}.";

    /**
     * The model's verdict.
     *
     * @param keep whether memories are extracted from the document
     * @param reason the model's short reason (possibly empty)
     */
    public record Verdict(boolean keep, String reason) {}

    /** The filter could not decide; {@link #retriable()} says whether asking again later may help. */
    public static final class FilterFailure extends Exception {
        private final boolean retriable;

        FilterFailure(String message, boolean retriable, Throwable cause) {
            super(message, cause);
            this.retriable = retriable;
        }

        public boolean retriable() {
            return retriable;
        }
    }

    @Inject
    WriterConfig config;

    private URI endpoint;
    private HttpClient http;

    @PostConstruct
    void init() {
        WriterConfig.Extraction.Llm llm = config.extraction().llm();
        if (llm.baseUrl().isPresent() && llm.model().isPresent()) {
            String base = llm.baseUrl().get();
            endpoint = URI.create(
                    (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(llm.timeout())
                    .build();
        }
    }

    /** Whether an LLM is configured to filter with; without one, {@code shouldLLMFilter} has no effect. */
    public boolean available() {
        return endpoint != null;
    }

    /** The model the filter asks, when {@link #available()}. */
    public Optional<String> model() {
        return config.extraction().llm().model();
    }

    /**
     * Asks the model whether to keep {@code document} by {@code filterPrompt}.
     *
     * @throws FilterFailure when there is no usable verdict
     * @throws IllegalStateException when no LLM is configured
     */
    public Verdict judge(String filterPrompt, String document) throws FilterFailure {
        if (!available()) {
            throw new IllegalStateException("no LLM configured for the document filter");
        }
        WriterConfig.Extraction.Llm llm = config.extraction().llm();
        ObjectNode body = JSON.createObjectNode();
        body.put("model", llm.model().orElseThrow());
        body.put("temperature", 0);
        body.putObject("response_format").put("type", "json_object");
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", SYSTEM);
        messages.addObject()
                .put("role", "user")
                .put(
                        "content",
                        "What the organisation keeps:\n" + filterPrompt + "\n\nThe document:\n"
                                + (document.length() > MAX_DOCUMENT_CHARS
                                        ? document.substring(0, MAX_DOCUMENT_CHARS)
                                        : document));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(llm.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        llm.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new FilterFailure("LLM endpoint " + endpoint + " did not answer within " + llm.timeout(), true, e);
        } catch (IOException e) {
            throw new FilterFailure(
                    "request to LLM endpoint " + endpoint + " failed: "
                            + e.getClass().getSimpleName(),
                    true,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FilterFailure("interrupted while waiting for LLM endpoint " + endpoint, true, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            boolean retriable = status == 408 || status == 429 || status >= 500;
            throw new FilterFailure("LLM endpoint " + endpoint + " answered HTTP " + status, retriable, null);
        }
        Verdict verdict = verdict(response.body());
        LOG.debugf("llm filter: keep=%b", verdict.keep());
        return verdict;
    }

    /** The verdict in a chat completion body: the first choice's content, a JSON object with {@code keep}. */
    static Verdict verdict(String responseBody) throws FilterFailure {
        String content;
        try {
            JsonNode message =
                    JSON.readTree(responseBody).path("choices").path(0).path("message");
            content = message.path("content").asText("");
        } catch (JsonProcessingException e) {
            throw new FilterFailure("the LLM's response is not JSON", false, e);
        }
        int start = content.indexOf('{');
        int end = content.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new FilterFailure("the LLM's answer holds no JSON object with a keep verdict", false, null);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(content.substring(start, end + 1));
        } catch (JsonProcessingException e) {
            throw new FilterFailure("the LLM's answer holds no readable JSON object", false, e);
        }
        JsonNode keep = answer.get("keep");
        if (keep == null || !keep.isBoolean()) {
            throw new FilterFailure("the LLM's answer has no boolean 'keep'", false, null);
        }
        String reason = answer.path("reason").asText("").strip();
        return new Verdict(
                keep.booleanValue(),
                reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason);
    }
}
