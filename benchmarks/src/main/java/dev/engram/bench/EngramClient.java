package dev.engram.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** The few Memory API calls the benchmarks make, over {@code java.net.http}. Thread-safe. */
final class EngramClient implements AutoCloseable {

    /** The stack cannot be used: not running, wrong address or key. */
    static final class StackUnavailableException extends Exception {
        StackUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A call answered with an unexpected status or failed on the wire. */
    static final class ApiException extends RuntimeException {
        private final int status;

        ApiException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status, or 0 if there was no answer. */
        int status() {
            return status;
        }

        /** Whether the same call may succeed later. */
        boolean retriable() {
            return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
        }
    }

    /** The answer to adding one document: its id, or an error ({@code id} empty). */
    record Accepted(String customId, String id, String status, String error) {
        boolean ok() {
            return id != null && !id.isEmpty() && !"error".equals(status);
        }
    }

    /** A document's processing state. {@code chunkCount} is null when the service does not report it. */
    record DocumentState(String status, String reason, Integer chunkCount) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    EngramClient(URI baseUrl, String apiKey, Duration timeout) {
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    URI baseUrl() {
        return baseUrl;
    }

    /**
     * Fails fast, with a message that says what to do, unless the Memory API answers and accepts the key.
     *
     * @throws StackUnavailableException if it does not
     */
    void checkReachable() throws StackUnavailableException {
        HttpResponse<String> response;
        try {
            response =
                    http.send(request("/v3/documents/processing").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new StackUnavailableException(
                    "Engram is not reachable at " + baseUrl + " (connection refused). Start it with `./engram up`,"
                            + " or pass --base-url.",
                    e);
        } catch (HttpTimeoutException e) {
            throw new StackUnavailableException("Engram at " + baseUrl + " did not answer within " + timeout + ".", e);
        } catch (IOException e) {
            throw new StackUnavailableException(
                    "Engram is not reachable at " + baseUrl + ": "
                            + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackUnavailableException("interrupted", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new StackUnavailableException(
                    "Engram at " + baseUrl + " rejected the API key (HTTP " + status + "). Pass --api-key or set"
                            + " ENGRAM_API_KEY.",
                    null);
        }
        if (status >= 500) {
            throw new StackUnavailableException(
                    "Engram at " + baseUrl + " is not ready (HTTP " + status + " from /v3/documents/processing).",
                    null);
        }
    }

    /**
     * {@code POST /v3/documents/batch}.
     *
     * @return one result per document, in order; empty if the endpoint does not exist (404 or 405)
     */
    Optional<List<Accepted>> postBatch(List<CorpusGenerator.Document> documents) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("documents");
        documents.forEach(document -> items.add(documentJson(document)));
        HttpResponse<String> response = send(
                request("/v3/documents/batch").POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                "POST /v3/documents/batch");
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            return Optional.empty();
        }
        JsonNode results = expectOk(response, "POST /v3/documents/batch").path("results");
        if (!results.isArray() || results.size() != documents.size()) {
            throw new ApiException(
                    response.statusCode(),
                    "POST /v3/documents/batch answered " + results.size() + " results for " + documents.size()
                            + " documents",
                    null);
        }
        List<Accepted> accepted = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            JsonNode result = results.get(i);
            accepted.add(new Accepted(
                    documents.get(i).customId(),
                    result.path("id").asText(""),
                    result.path("status").asText(""),
                    result.path("error").isMissingNode()
                            ? null
                            : result.path("error").asText()));
        }
        return Optional.of(accepted);
    }

    /** {@code POST /v3/documents}. */
    Accepted post(CorpusGenerator.Document document) {
        HttpResponse<String> response = send(
                request("/v3/documents")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                documentJson(document).toString())),
                "POST /v3/documents");
        JsonNode body = expectOk(response, "POST /v3/documents");
        return new Accepted(
                document.customId(),
                body.path("id").asText(""),
                body.path("status").asText(""),
                null);
    }

    /**
     * {@code GET /v3/documents/processing}.
     *
     * @return the ids of the documents in flight; empty if the endpoint does not exist
     */
    Optional<Set<String>> processingIds() {
        HttpResponse<String> response = send(request("/v3/documents/processing").GET(), "GET /v3/documents/processing");
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            return Optional.empty();
        }
        JsonNode documents = expectOk(response, "GET /v3/documents/processing").path("documents");
        Set<String> ids = new HashSet<>();
        documents.forEach(document -> ids.add(document.path("id").asText()));
        return Optional.of(ids);
    }

    /** {@code GET /v3/documents/{id}}: status, failure reason and chunk count (Engram's additions) if present. */
    DocumentState get(String id) {
        String call = "GET /v3/documents/{id}";
        JsonNode body = expectOk(send(request("/v3/documents/" + encode(id)).GET(), call), call);
        JsonNode chunkCount = body.path("chunkCount");
        return new DocumentState(
                body.path("status").asText(""),
                body.path("statusReason").isTextual()
                        ? body.path("statusReason").asText()
                        : null,
                chunkCount.isInt() ? chunkCount.asInt() : null);
    }

    /**
     * {@code GET /v3/documents/{id}/chunks}: its {@code total}, else the length of {@code chunks} (or of the array).
     *
     * @return empty if the endpoint does not exist
     */
    OptionalInt chunkCount(String id) {
        String call = "GET /v3/documents/{id}/chunks";
        HttpResponse<String> response =
                send(request("/v3/documents/" + encode(id) + "/chunks").GET(), call);
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            return OptionalInt.empty();
        }
        JsonNode body = expectOk(response, call);
        if (body.isArray()) {
            return OptionalInt.of(body.size());
        }
        if (body.path("total").isInt()) {
            return OptionalInt.of(body.path("total").asInt());
        }
        return body.path("chunks").isArray()
                ? OptionalInt.of(body.path("chunks").size())
                : OptionalInt.empty();
    }

    /**
     * {@code POST /v4/conversations} with every message so far; the conversation is one document per conversation id
     * and tag, and a longer message list makes a new revision of it.
     *
     * @param metadata flat metadata to store with the conversation
     * @return the conversation's document id and the status it was accepted with
     * @throws ApiException unless the answer is 2xx with a document id
     */
    Accepted postConversation(
            String conversationId,
            String containerTag,
            List<LocomoFeed.Message> messages,
            Map<String, String> metadata) {
        ObjectNode body = JSON.createObjectNode();
        body.put("conversationId", conversationId);
        body.putArray("containerTags").add(containerTag);
        ArrayNode items = body.putArray("messages");
        for (LocomoFeed.Message message : messages) {
            ObjectNode item = items.addObject().put("role", message.role()).put("content", message.content());
            if (message.name() != null) {
                item.put("name", message.name());
            }
            if (message.createdAt() != null) {
                item.put("createdAt", message.createdAt());
            }
        }
        metadata.forEach(body.putObject("metadata")::put);
        String call = "POST /v4/conversations";
        JsonNode answer = expectOk(
                send(request("/v4/conversations").POST(HttpRequest.BodyPublishers.ofString(body.toString())), call),
                call);
        Accepted accepted = new Accepted(
                conversationId,
                answer.path("id").asText(""),
                answer.path("status").asText(""),
                null);
        if (!accepted.ok()) {
            throw new ApiException(
                    200, call + " answered without a document id: " + abbreviate(answer.toString()), null);
        }
        return accepted;
    }

    /** What {@code POST /v4/search} answered: results returned and the server's own {@code timing} (ms), if any. */
    record SearchAnswer(int results, Double timingMillis) {}

    /**
     * {@code POST /v4/memories}: 1-100 memories into one tag.
     *
     * @return the memories created, as the answer lists them
     * @throws ApiException unless the answer is 2xx
     */
    int postMemories(String containerTag, List<String> contents, Map<String, String> metadata) {
        ObjectNode body = JSON.createObjectNode();
        body.put("containerTag", containerTag);
        ArrayNode items = body.putArray("memories");
        for (String content : contents) {
            ObjectNode item = items.addObject().put("content", content);
            metadata.forEach(item.putObject("metadata")::put);
        }
        String call = "POST /v4/memories";
        JsonNode answer = expectOk(
                send(request("/v4/memories").POST(HttpRequest.BodyPublishers.ofString(body.toString())), call), call);
        return answer.path("memories").size();
    }

    /**
     * {@code POST /v4/search} with {@code {q, containerTag, limit, threshold}}.
     *
     * @throws ApiException unless the answer is 2xx
     */
    SearchAnswer search(String q, String containerTag, int limit, double threshold) {
        ObjectNode body = JSON.createObjectNode()
                .put("q", q)
                .put("containerTag", containerTag)
                .put("limit", limit)
                .put("threshold", threshold);
        String call = "POST /v4/search";
        JsonNode answer = expectOk(
                send(request("/v4/search").POST(HttpRequest.BodyPublishers.ofString(body.toString())), call), call);
        JsonNode timing = answer.path("timing");
        return new SearchAnswer(answer.path("results").size(), timing.isNumber() ? timing.asDouble() : null);
    }

    /**
     * One result of {@code POST /v3/search}.
     *
     * @param documentId the document's id
     * @param metadata the document's metadata, values as text
     */
    record DocumentHit(String documentId, Map<String, String> metadata) {}

    /**
     * {@code POST /v3/search} in one container tag, documents best first: {@code {q, containerTags: [tag], limit,
     * chunkThreshold: 0, onlyMatchingChunks: true}}, plus Engram's {@code retrieval} field unless it is null.
     *
     * @throws ApiException unless the answer is 2xx
     */
    List<DocumentHit> searchDocuments(String q, String containerTag, int limit, String retrieval) {
        ObjectNode body = JSON.createObjectNode().put("q", q);
        body.putArray("containerTags").add(containerTag);
        body.put("limit", limit).put("chunkThreshold", 0).put("onlyMatchingChunks", true);
        if (retrieval != null) {
            body.put("retrieval", retrieval);
        }
        String call = "POST /v3/search";
        JsonNode answer = expectOk(
                send(request("/v3/search").POST(HttpRequest.BodyPublishers.ofString(body.toString())), call), call);
        List<DocumentHit> hits = new ArrayList<>();
        for (JsonNode result : answer.path("results")) {
            Map<String, String> metadata = new LinkedHashMap<>();
            result.path("metadata")
                    .properties()
                    .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
            hits.add(new DocumentHit(result.path("documentId").asText(""), metadata));
        }
        return hits;
    }

    private ObjectNode documentJson(CorpusGenerator.Document document) {
        ObjectNode item = JSON.createObjectNode();
        item.put("content", document.content());
        item.put("containerTag", document.containerTag());
        item.put("customId", document.customId());
        document.metadata().forEach(item.putObject("metadata")::put);
        if (document.taskType() != null) {
            item.put("taskType", document.taskType());
        }
        return item;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String call) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(0, call + " failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, call + " interrupted", e);
        }
    }

    private static JsonNode expectOk(HttpResponse<String> response, String call) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            String body = response.body() == null ? "" : response.body().strip();
            throw new ApiException(
                    status, call + " answered HTTP " + status + (body.isEmpty() ? "" : ": " + abbreviate(body)), null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new ApiException(status, call + " answered a body that is not JSON", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}
