package dev.engram.search.config;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorStore;
import dev.engram.embeddings.EmbedderConfig;
import dev.engram.embeddings.Embedders;
import dev.engram.embeddings.MiniLmVariant;
import dev.engram.vectors.lucene.LuceneVectorStore;
import dev.engram.vectors.qdrant.QdrantConfig;
import dev.engram.vectors.qdrant.QdrantVectorStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Builds the query embedder and the (read-only) vector store from {@link SearchConfig}, once, at start-up. The
 * embedder must be the model memory-writer indexes with, or similarities mean nothing.
 */
@ApplicationScoped
public class EngineProducers {

    private static final Logger LOG = Logger.getLogger(EngineProducers.class);

    @Inject
    SearchConfig config;

    @Produces
    @ApplicationScoped
    @Startup
    TextEmbedder embedder() {
        SearchConfig.Embedding embedding = config.embedding();
        EmbedderConfig.Provider provider = EmbedderConfig.Provider.parse(embedding.provider());
        EmbedderConfig settings = switch (provider) {
            case ONNX -> EmbedderConfig.onnx(MiniLmVariant.parse(embedding.variant()));
            case OPENAI ->
                new EmbedderConfig(
                        provider,
                        EmbedderConfig.DEFAULT_VARIANT,
                        0,
                        URI.create(
                                embedding
                                        .baseUrl()
                                        .orElseThrow(
                                                () -> new IllegalStateException(
                                                        "search.embedding.base-url is required with search.embedding.provider=openai"))),
                        embedding.apiKey().orElse(null),
                        embedding
                                .model()
                                .orElseThrow(() -> new IllegalStateException(
                                        "search.embedding.model is required with search.embedding.provider=openai")),
                        embedding.dimension(),
                        1,
                        EmbedderConfig.DEFAULT_TIMEOUT);
        };
        TextEmbedder embedder = Embedders.create(settings);
        LOG.infof("embeddings: %s (dimension %d)", embedder.modelId(), embedder.dimension());
        return embedder;
    }

    void closeEmbedder(@Disposes TextEmbedder embedder) {
        if (embedder instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing the embedder failed", e);
            }
        }
    }

    @Produces
    @ApplicationScoped
    @Startup
    VectorStore vectorStore(TextEmbedder embedder) {
        SearchConfig.Vectors vectors = config.vectors();
        VectorStore store = switch (vectors.backend()) {
            case "lucene" -> LuceneVectorStore.openReader(Path.of(vectors.lucenePath()));
            case "qdrant" ->
                QdrantVectorStore.connect(new QdrantConfig(
                        vectors.qdrantHost(),
                        vectors.qdrantPort(),
                        vectors.qdrantTls(),
                        vectors.qdrantApiKey().orElse(null),
                        "engram",
                        Duration.ofSeconds(10),
                        64));
            default ->
                throw new IllegalStateException(
                        "search.vectors.backend must be 'lucene' or 'qdrant', was '" + vectors.backend() + "'");
        };
        if (store instanceof LuceneVectorStore) {
            // read only: checks the dimension of the indexes that exist, creates nothing
            store.ensureCollection(VectorKind.CHUNKS, embedder.dimension());
            store.ensureCollection(VectorKind.MEMORIES, embedder.dimension());
        }
        LOG.infof("vector store: %s (read only)", vectors.backend());
        return store;
    }

    void closeVectorStore(@Disposes VectorStore store) {
        store.close();
    }
}
