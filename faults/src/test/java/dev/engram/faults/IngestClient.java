package dev.engram.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few calls of ingest-service's API the fault tests make, straight to the service (no gateway). */
final class IngestClient {

    /** The longest a request may take: one that takes longer counts as hanging. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    IngestClient(URI base) {
        this.base = base;
    }

    /** An organisation and its first admin key. */
    record Org(String id, String key) {}

    /** Creates an organisation with the bootstrap key, so each scenario counts only its own rows and points. */
    Org createOrg(String bootstrapKey, String name) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        HttpResponse<String> response = send(bootstrapKey, "/v3/orgs", body);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("POST /v3/orgs answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode org = JSON.readTree(response.body());
        return new Org(org.path("id").asText(), org.path("key").asText());
    }

    /**
     * What one {@code POST /v3/documents/batch} came to.
     *
     * @param status the HTTP status, or 0 when no answer came (connection refused or reset, or no answer within
     *     {@link #REQUEST_TIMEOUT})
     * @param ids the document id of each item in request order when the answer was 200 ({@code null} for an item the
     *     batch refused); empty otherwise
     * @param error what went wrong when the status is not 200
     * @param took how long the call took
     */
    record BatchOutcome(int status, List<String> ids, String error, Duration took) {
        boolean accepted() {
            return status == 200;
        }
    }

    /** Posts documents in one batch; never throws for what the server or the network did. */
    BatchOutcome postBatch(String key, List<Corpus.Doc> docs) throws InterruptedException {
        ArrayNode items = JSON.createArrayNode();
        for (Corpus.Doc doc : docs) {
            items.addObject()
                    .put("content", doc.content())
                    .put("customId", doc.customId())
                    .put("containerTag", doc.containerTag());
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("documents", items);
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = send(key, "/v3/documents/batch", body);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (response.statusCode() != 200) {
                return new BatchOutcome(response.statusCode(), List.of(), abbreviate(response.body()), took);
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode result : JSON.readTree(response.body()).path("results")) {
                ids.add(
                        result.hasNonNull("id") && !result.hasNonNull("error")
                                ? result.get("id").asText()
                                : null);
            }
            return new BatchOutcome(200, ids, null, took);
        } catch (IOException e) {
            return new BatchOutcome(0, List.of(), e.toString(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private HttpResponse<String> send(String key, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
