package dev.engram.writer.config;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorStore;
import dev.engram.embeddings.MiniLmVariant;
import dev.engram.embeddings.OnnxMiniLmEmbedder;
import dev.engram.vectors.lucene.LuceneVectorStore;
import dev.engram.vectors.qdrant.QdrantConfig;
import dev.engram.vectors.qdrant.QdrantVectorStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Builds the embedding model and the vector store from {@link WriterConfig}, once, at start-up. */
@ApplicationScoped
public class EngineProducers {

    private static final Logger LOG = Logger.getLogger(EngineProducers.class);

    @Inject
    WriterConfig config;

    @Produces
    @ApplicationScoped
    @Startup
    TextEmbedder embedder() {
        WriterConfig.Embedding embedding = config.embedding();
        if (!"onnx".equals(embedding.provider())) {
            throw new IllegalStateException("writer.embedding.provider '" + embedding.provider()
                    + "' is not available in this build; use 'onnx'");
        }
        MiniLmVariant variant = MiniLmVariant.valueOf(embedding.variant().toUpperCase(Locale.ROOT));
        OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.create(variant);
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
        WriterConfig.Vectors vectors = config.vectors();
        VectorStore store = switch (vectors.backend()) {
            case "lucene" -> LuceneVectorStore.openWriter(Path.of(vectors.lucenePath()));
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
                        "writer.vectors.backend must be 'lucene' or 'qdrant', was '" + vectors.backend() + "'");
        };
        store.ensureCollection(VectorKind.CHUNKS, embedder.dimension());
        LOG.infof("vector store: %s", vectors.backend());
        return store;
    }

    void closeVectorStore(@Disposes VectorStore store) {
        store.close();
    }
}
