package dev.engram.embeddings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.core.embedding.EmbeddingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Embeds through an OpenAI-compatible endpoint: {@code POST {baseUrl}/embeddings} with
 * {@code {"model", "input": [...], "encoding_format": "float"}}, optionally authenticated with a bearer key. Works
 * with OpenAI itself and with the servers that copy its wire format (vLLM, Ollama, LM Studio, LocalAI, TEI, ...).
 *
 * <p>A list longer than {@link Settings#maxBatchSize()} is sent as several sequential requests. Every returned vector
 * must have {@link Settings#dimension()} components; vectors are re-normalised to unit length (OpenAI's already are,
 * some servers' are not).
 *
 * <p>Failures are {@link EmbeddingException}s: retriable for 408, 429, 5xx, timeouts and connection failures;
 * not retriable for other 4xx, a wrong dimension or a malformed response. Messages name the endpoint and status and
 * quote at most a short error message from the response body; they never contain the input texts or the key.
 *
 * <p>{@link #countTokens} uses the configured {@link TokenCounter}; without one, {@link TokenCounter#approximate()},
 * since the endpoint's tokenizer is not available locally.
 *
 * <p>Thread-safe.
 */
public final class OpenAiCompatibleEmbedder implements CloseableTextEmbedder {

    private static final Logger LOG = Logger.getLogger(OpenAiCompatibleEmbedder.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUOTED_ERROR_CHARS = 200;

    /**
     * Where and how to call the endpoint.
     *
     * @param baseUrl the API root, e.g. {@code https://api.openai.com/v1}; {@code /embeddings} is appended
     * @param apiKey bearer key, or {@code null} for an endpoint without authentication
     * @param model the model name sent in each request
     * @param dimension the vector length the endpoint must return (the model's native length: no {@code dimensions}
     *     parameter is sent, since many compatible servers reject it)
     * @param maxBatchSize most texts per request
     * @param timeout limit for connecting and for each request
     * @param tokenCounter how {@link #countTokens} counts, or {@code null} for {@link TokenCounter#approximate()}
     */
    public record Settings(
            URI baseUrl,
            String apiKey,
            String model,
            int dimension,
            int maxBatchSize,
            Duration timeout,
            TokenCounter tokenCounter) {

        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL");
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model is required");
            }
            if (dimension < 1) {
                throw new IllegalArgumentException("dimension must be >= 1");
            }
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be >= 1");
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
            tokenCounter = tokenCounter == null ? TokenCounter.approximate() : tokenCounter;
        }

        /** Keeps the key out of logs. */
        @Override
        public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***") + ", model=" + model
                    + ", dimension=" + dimension + ", maxBatchSize=" + maxBatchSize + ", timeout=" + timeout + "]";
        }
    }

    private final Settings settings;
    private final URI endpoint;
    private final HttpClient http;
    private volatile boolean closed;

    public OpenAiCompatibleEmbedder(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/embeddings");
        // HTTP/1.1: plain-http servers differ in how they treat an h2c upgrade; embeddings gain nothing from HTTP/2.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
    }

    /** The configured model name. */
    @Override
    public String modelId() {
        return settings.model();
    }

    @Override
    public int dimension() {
        return settings.dimension();
    }

    /** The settings this embedder calls the endpoint with. */
    public Settings settings() {
        return settings;
    }

    /** Counts with the configured {@link TokenCounter} (an approximation unless one was given). */
    @Override
    public int countTokens(String text) {
        Objects.requireNonNull(text, "text");
        return settings.tokenCounter().countTokens(text);
    }

    /**
     * Embeds {@code texts} in requests of at most {@link Settings#maxBatchSize()} texts, one after the other; an empty
     * list makes no request.
     *
     * @throws EmbeddingException if a request fails; see the class comment for which failures are retriable
     * @throws IllegalStateException if this embedder is closed
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (closed) {
            throw new IllegalStateException("embedder is closed");
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += settings.maxBatchSize()) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + settings.maxBatchSize()));
            vectors.addAll(embedBatch(batch));
        }
        return vectors;
    }

    private List<float[]> embedBatch(List<String> batch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(batch)));
        if (settings.apiKey() != null) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new EmbeddingException(
                    "embedding endpoint " + endpoint + " did not answer within " + settings.timeout(), true, e);
        } catch (ConnectException e) {
            throw new EmbeddingException("cannot connect to embedding endpoint " + endpoint, true, e);
        } catch (IOException e) {
            throw new EmbeddingException(
                    "embedding request to " + endpoint + " failed: "
                            + e.getClass().getSimpleName(),
                    true,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while waiting for embedding endpoint " + endpoint, true, e);
        }
        int status = response.statusCode();
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("embeddings: " + batch.size() + " texts, HTTP " + status + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        if (status / 100 != 2) {
            throw statusError(status, response);
        }
        return parseVectors(response.body(), batch.size());
    }

    private String requestBody(List<String> batch) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        ArrayNode input = body.putArray("input");
        batch.forEach(text -> input.add(Objects.requireNonNull(text, "texts must not contain null")));
        body.put("encoding_format", "float");
        return body.toString();
    }

    private EmbeddingException statusError(int status, HttpResponse<String> response) {
        boolean retriable = status == 408 || status == 429 || status >= 500;
        StringBuilder message = new StringBuilder("embedding endpoint ")
                .append(endpoint)
                .append(" answered HTTP ")
                .append(status);
        if (status == 429) {
            message.append(" (rate limited");
            response.headers()
                    .firstValue("Retry-After")
                    .ifPresent(after ->
                            message.append("; retry after ").append(after).append(" s"));
            message.append(')');
        }
        String detail = errorDetail(response.body());
        if (!detail.isEmpty()) {
            message.append(": ").append(detail);
        }
        return new EmbeddingException(message.toString(), retriable, null);
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

    private List<float[]> parseVectors(String body, int expected) {
        JsonNode data;
        try {
            data = JSON.readTree(body).path("data");
        } catch (JsonProcessingException e) {
            throw malformed("the body is not JSON");
        }
        if (!data.isArray() || data.size() != expected) {
            throw malformed("expected " + expected + " embeddings in 'data', got "
                    + (data.isArray() ? String.valueOf(data.size()) : "none"));
        }
        float[][] vectors = new float[expected][];
        for (int position = 0; position < expected; position++) {
            JsonNode item = data.get(position);
            int index = item.path("index").asInt(position);
            JsonNode embedding = item.path("embedding");
            if (index < 0 || index >= expected || vectors[index] != null) {
                throw malformed("bad or repeated index " + index);
            }
            if (!embedding.isArray()) {
                throw malformed("item " + index + " has no 'embedding' array (base64 is not supported)");
            }
            if (embedding.size() != settings.dimension()) {
                throw new EmbeddingException(
                        "embedding endpoint " + endpoint + " returned " + embedding.size()
                                + "-dimensional vectors for model " + settings.model() + ", but the configured"
                                + " dimension is " + settings.dimension(),
                        false,
                        null);
            }
            float[] vector = new float[embedding.size()];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) embedding.get(d).asDouble();
            }
            vectors[index] = Vectors.normalise(vector);
        }
        return List.of(vectors);
    }

    private EmbeddingException malformed(String what) {
        return new EmbeddingException(
                "embedding endpoint " + endpoint + " returned a malformed response: " + what, false, null);
    }

    @Override
    public void close() {
        closed = true;
        http.close();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleEmbedder[" + settings + "]";
    }
}
