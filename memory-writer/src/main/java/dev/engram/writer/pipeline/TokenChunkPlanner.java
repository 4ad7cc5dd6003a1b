package dev.engram.writer.pipeline;

import dev.engram.chunking.Chunk;
import dev.engram.chunking.ChunkIds;
import dev.engram.chunking.Chunker;
import dev.engram.chunking.ChunkerConfig;
import dev.engram.chunking.TokenCounter;
import dev.engram.core.embedding.TextEmbedder;
import dev.engram.writer.config.WriterConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ChunkPlanner} with the structure-aware {@link Chunker}, sized in the embedding model's own tokens: by
 * {@code writer.chunking.*}, or by an organisation's own {@code chunkSize} (its overlap then at most a quarter of it).
 */
@ApplicationScoped
public class TokenChunkPlanner implements ChunkPlanner {

    /** Smallest chunk size an organisation's setting is held to (ingest-service refuses smaller ones). */
    static final int MIN_CHUNK_SIZE = 32;

    /** Largest chunk size an organisation's setting is held to: MiniLM reads 256 tokens, two of them its own. */
    static final int MAX_CHUNK_SIZE = 254;

    @Inject
    WriterConfig config;

    @Inject
    TextEmbedder embedder;

    private Chunker defaultChunker;

    /** Chunkers of the organisations' chunk sizes (a few distinct sizes at most). */
    private final Map<Integer, Chunker> bySize = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        WriterConfig.Chunking chunking = config.chunking();
        defaultChunker = chunker(chunking.maxTokens(), chunking.overlapTokens());
    }

    @Override
    public List<PlannedChunk> plan(String orgId, String documentId, String text, Integer chunkSize) {
        Chunker chunker = chunkSize == null
                ? defaultChunker
                : bySize.computeIfAbsent(
                        Math.clamp(chunkSize, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE),
                        size -> chunker(size, Math.min(config.chunking().overlapTokens(), size / 4)));
        List<Chunk> chunks = chunker.chunk(text);
        return chunks.stream()
                .map(c -> new PlannedChunk(
                        ChunkIds.of(orgId, documentId, c), c.index(), c.text(), c.contentHash(), c.tokenCount()))
                .toList();
    }

    private Chunker chunker(int maxTokens, int overlapTokens) {
        return new Chunker(
                ChunkerConfig.of(maxTokens, overlapTokens),
                TokenCounter.of(embedder::countTokens, embedder.countsAddUp()));
    }
}
