package dev.engram.search.config;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.embeddings.EmbedderConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the hot path of a search once in the background at start-up — the model's first run, the index readers'
 * first searches (dense and lexical) of each kind, then one {@code POST /v4/profile} of an empty tag in a
 * organisation of its own through this service's HTTP port (REST, the key check, PostgreSQL, JSON) — so the first
 * real request does not pay for them: a fresh search-service answered its first {@code /v4/profile} in about a
 * second, past the Memory Router's 150 ms, which then forwarded without memories. Nothing it reads is kept; a failure
 * is logged and changes nothing.
 */
@ApplicationScoped
public class SearchWarmUp {

    private static final Logger LOG = Logger.getLogger(SearchWarmUp.class);
    private static final String ORG = "engram-warm-up";
    private static final String TEXT = "what does the user like to do on weekends";

    @Inject
    TextEmbedder embedder;

    @Inject
    VectorStore vectors;

    @Inject
    SearchConfig config;

    @Inject
    AuthConfig auth;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String host;

    void onStart(@Observes StartupEvent event) {
        Thread.ofVirtual().name("search-warm-up").start(this::warmUp);
    }

    void warmUp() {
        long started = System.nanoTime();
        try {
            // A remote embedding provider is not called: that would cost a request to someone else at every start.
            boolean inProcess =
                    EmbedderConfig.Provider.parse(config.embedding().provider()) == EmbedderConfig.Provider.ONNX;
            float[] vector = inProcess ? embedder.embed(List.of(TEXT)).get(0) : new float[embedder.dimension()];
            for (VectorKind kind : VectorKind.values()) {
                VectorQuery query = new VectorQuery(ORG, List.of("warm-up"), vector, 10, null, null, null);
                vectors.search(kind, query);
                vectors.searchText(kind, TextQuery.of(query, TEXT));
            }
            auth.bootstrapKey().ifPresent(this::askOnce);
            LOG.debugf("warmed up in %d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.infof("warm-up skipped: %s", e.toString());
        }
    }

    /** One profile request of a tag that has nothing, through the HTTP port. */
    private void askOnce(String key) {
        String target = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + target + ":" + port + "/v4/profile"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"containerTag\":\"engram-warm-up\",\"q\":\"" + TEXT + "\"}"))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            LOG.infof("warm-up request skipped: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
