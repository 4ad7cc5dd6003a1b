package dev.engram.writer.config;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorStore;
import dev.engram.embeddings.EmbedderConfig;
import dev.engram.embeddings.Embedders;
import dev.engram.embeddings.MiniLmVariant;
import dev.engram.embeddings.OnnxMiniLmEmbedder;
import dev.engram.vectors.lucene.LuceneVectorStore;
import dev.engram.vectors.qdrant.QdrantConfig;
import dev.engram.vectors.qdrant.QdrantVectorStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Builds the embedding model and the vector store from {@link WriterConfig}, once, at start-up. */
@ApplicationScoped
public class EngineProducers {

    private static final Logger LOG = Logger.getLogger(EngineProducers.class);

    /**
     * The in-process model's CPU time ({@code engram_embedding_model_cpu_seconds_total}): set against the process's
     * CPU it shows what the pipeline costs beyond the model; the ingest benchmark reads it.
     */
    public static final String MODEL_CPU_METRIC = "engram.embedding.model.cpu";

    @Inject
    WriterConfig config;

    @Inject
    MeterRegistry registry;

    @Produces
    @ApplicationScoped
    @Startup
    TextEmbedder embedder() {
        WriterConfig.Embedding embedding = config.embedding();
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
                                                        "writer.embedding.base-url is required with writer.embedding.provider=openai"))),
                        embedding.apiKey().orElse(null),
                        embedding
                                .model()
                                .orElseThrow(() -> new IllegalStateException(
                                        "writer.embedding.model is required with writer.embedding.provider=openai")),
                        embedding.dimension(),
                        embedding.batchSize(),
                        EmbedderConfig.DEFAULT_TIMEOUT);
        };
        TextEmbedder embedder = Embedders.create(settings);
        LOG.infof("embeddings: %s (dimension %d)", embedder.modelId(), embedder.dimension());
        if (embedder instanceof OnnxMiniLmEmbedder onnx) {
            FunctionCounter.builder(
                            MODEL_CPU_METRIC,
                            onnx,
                            model -> model.modelCpuTime().toNanos() / 1e9)
                    .description("CPU time the in-process embedding model took, over all its threads")
                    .baseUnit("seconds")
                    .register(registry);
        }
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
        store.ensureCollection(VectorKind.MEMORIES, embedder.dimension());
        LOG.infof("vector store: %s", vectors.backend());
        return store;
    }

    void closeVectorStore(@Disposes VectorStore store) {
        store.close();
    }
}
