package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Just enough of the Memory API on 127.0.0.1 for the benchmark's HTTP phase: documents become {@code done} a fixed
 * time after they are accepted, except those whose custom id ends with a chosen suffix ({@code failed}) or another
 * ({@code stuck}: never finish). Chunk counts come with {@code GET /v3/documents/{id}} or only from
 * {@code /chunks}, and the batch and processing endpoints can be switched off. {@code POST /v3/search} ranks the
 * documents of the first requested tag by the words they share with the query (ties in order of arrival), and answers
 * 400 for one chosen {@code retrieval} value.
 */
final class FakeEngram implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Stored(
            String customId,
            String containerTag,
            String content,
            JsonNode metadata,
            String taskType,
            long acceptedAt) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, Stored> documents = new ConcurrentHashMap<>();
    final AtomicInteger batchRequests = new AtomicInteger();
    /** {@link System#nanoTime()} at each batch request's arrival, in order. */
    final List<Long> batchRequestNanos = new CopyOnWriteArrayList<>();

    final AtomicInteger singleRequests = new AtomicInteger();
    final AtomicInteger processingRequests = new AtomicInteger();
    final AtomicInteger statusRequests = new AtomicInteger();
    /** Status requests that arrived while some document was still in the pipeline. */
    final AtomicInteger statusRequestsWhileProcessing = new AtomicInteger();

    volatile long processingMillis = 300;
    /** How long the processing list takes to answer. */
    volatile long processingListMillis = 0;

    volatile boolean batchEndpoint = true;
    volatile boolean processingEndpoint = true;
    volatile boolean chunkCountInDocument = true;
    volatile String failSuffix = "\u0000";
    volatile String stuckSuffix = "\u0000";
    volatile String requiredKey = "engram-dev-key";
    volatile String rejectedRetrieval = "\u0000";
    final List<JsonNode> searches = new CopyOnWriteArrayList<>();
    private final AtomicLong arrivals = new AtomicLong();
    private final Map<String, Long> arrival = new ConcurrentHashMap<>();

    FakeEngram() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v3/documents", this::handle);
        server.createContext("/v3/search", this::search);
        server.setExecutor(executor);
        server.start();
    }

    /** The custom ids of every document accepted so far. */
    List<String> customIds() {
        return documents.values().stream().map(Stored::customId).toList();
    }

    /** The {@code taskType} each document was sent with, by custom id; {@code (none)} when it had none. */
    Map<String, String> taskTypes() {
        Map<String, String> taskTypes = new TreeMap<>();
        documents.values().forEach(stored -> taskTypes.put(stored.customId(), stored.taskType()));
        return taskTypes;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + requiredKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"Unauthorized\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/v3/documents/batch")) {
                batch(exchange);
            } else if (method.equals("POST") && path.equals("/v3/documents")) {
                singleRequests.incrementAndGet();
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                String id = accept(body);
                send(exchange, 200, "{\"id\":\"" + id + "\",\"status\":\"queued\"}");
            } else if (method.equals("GET") && path.equals("/v3/documents/processing") && processingEndpoint) {
                processing(exchange);
            } else if (method.equals("GET") && path.endsWith("/chunks") && !chunkCountInDocument) {
                String id = path.substring("/v3/documents/".length(), path.length() - "/chunks".length());
                send(exchange, 200, "{\"documentId\":\"" + id + "\",\"chunks\":[{},{}],\"total\":2}");
            } else if (method.equals("GET") && path.startsWith("/v3/documents/") && !path.endsWith("/chunks")) {
                status(exchange, path.substring("/v3/documents/".length()));
            } else {
                send(exchange, 404, "{\"error\":\"Not Found\"}");
            }
        }
    }

    private void batch(HttpExchange exchange) throws IOException {
        if (!batchEndpoint) {
            send(exchange, 404, "{\"error\":\"Not Found\"}");
            return;
        }
        batchRequests.incrementAndGet();
        batchRequestNanos.add(System.nanoTime());
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode response = JSON.createObjectNode();
        ArrayNode results = response.putArray("results");
        for (JsonNode document : body.path("documents")) {
            results.addObject().put("id", accept(document)).put("status", "queued");
        }
        response.put("success", results.size()).put("failed", 0);
        send(exchange, 200, response.toString());
    }

    private String accept(JsonNode document) {
        String customId = document.path("customId").asText();
        String id = "doc_" + customId;
        documents.put(
                id,
                new Stored(
                        customId,
                        document.path("containerTag").asText(),
                        document.path("content").asText(),
                        document.path("metadata"),
                        document.path("taskType").asText("(none)"),
                        System.nanoTime()));
        arrival.putIfAbsent(id, arrivals.incrementAndGet());
        return id;
    }

    private void search(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + requiredKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"Unauthorized\"}");
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            searches.add(body);
            if (rejectedRetrieval.equals(body.path("retrieval").asText())) {
                send(exchange, 400, "{\"error\":\"Invalid request\",\"details\":\"retrieval: must be 'hybrid'\"}");
                return;
            }
            String tag = body.path("containerTags").path(0).asText();
            Set<String> words = words(body.path("q").asText());
            ObjectNode response = JSON.createObjectNode();
            ArrayNode results = response.putArray("results");
            documents.entrySet().stream()
                    .filter(e -> e.getValue().containerTag().equals(tag))
                    .filter(e -> overlap(words, e.getValue().content()) > 0)
                    .sorted(Comparator.comparingLong((Map.Entry<String, Stored> e) ->
                                    -overlap(words, e.getValue().content()))
                            .thenComparingLong(e -> arrival.get(e.getKey())))
                    .limit(body.path("limit").asInt(10))
                    .forEach(e -> results.addObject()
                            .put("documentId", e.getKey())
                            .set("metadata", e.getValue().metadata()));
            response.put("timing", 1).put("total", results.size());
            send(exchange, 200, response.toString());
        }
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")));
    }

    private static long overlap(Set<String> query, String content) {
        return words(content).stream()
                .filter(w -> !w.isEmpty() && query.contains(w))
                .count();
    }

    private String statusOf(Stored document) {
        if (document.customId().endsWith(stuckSuffix)) {
            return "queued";
        }
        if ((System.nanoTime() - document.acceptedAt()) / 1_000_000 < processingMillis) {
            return "embedding";
        }
        return document.customId().endsWith(failSuffix) ? "failed" : "done";
    }

    private void processing(HttpExchange exchange) throws IOException {
        processingRequests.incrementAndGet();
        if (processingListMillis > 0) {
            try {
                Thread.sleep(processingListMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("documents");
        documents.forEach((id, document) -> {
            String status = statusOf(document);
            if (!status.equals("done") && !status.equals("failed")) {
                list.addObject().put("id", id).put("status", status);
            }
        });
        response.put("totalCount", list.size());
        send(exchange, 200, response.toString());
    }

    private void status(HttpExchange exchange, String id) throws IOException {
        statusRequests.incrementAndGet();
        if (documents.values().stream().anyMatch(d -> !Set.of("done", "failed").contains(statusOf(d)))) {
            statusRequestsWhileProcessing.incrementAndGet();
        }
        Stored document = documents.get(id);
        if (document == null) {
            send(exchange, 404, "{\"error\":\"Not Found\"}");
            return;
        }
        String status = statusOf(document);
        ObjectNode response = JSON.createObjectNode().put("id", id).put("status", status);
        if (status.equals("failed")) {
            response.put("statusReason", "extraction failed: unsupported content");
        }
        if (status.equals("done") && chunkCountInDocument) {
            response.put("chunkCount", document.customId().contains("-l") ? 5 : 1);
        }
        send(exchange, 200, response.toString());
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
