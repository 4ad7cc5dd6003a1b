package dev.engram.writer.pipeline;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.writer.chunking.Chunk;
import dev.engram.writer.chunking.ChunkIds;
import dev.engram.writer.chunking.Chunker;
import dev.engram.writer.chunking.ChunkerConfig;
import dev.engram.writer.config.WriterConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** {@link ChunkPlanner} with the structure-aware {@link Chunker}, sized in the embedding model's own tokens. */
@ApplicationScoped
public class TokenChunkPlanner implements ChunkPlanner {

    @Inject
    WriterConfig config;

    @Inject
    TextEmbedder embedder;

    private Chunker chunker;

    @PostConstruct
    void init() {
        WriterConfig.Chunking chunking = config.chunking();
        int minTokens = Math.min(ChunkerConfig.defaults().minTokens(), chunking.maxTokens() / 2);
        chunker = new Chunker(
                new ChunkerConfig(chunking.maxTokens(), chunking.overlapTokens(), minTokens), embedder::countTokens);
    }

    @Override
    public List<PlannedChunk> plan(String orgId, String documentId, String text) {
        List<Chunk> chunks = chunker.chunk(text);
        return chunks.stream()
                .map(c -> new PlannedChunk(
                        ChunkIds.of(orgId, documentId, c), c.index(), c.text(), c.contentHash(), c.tokenCount()))
                .toList();
    }
}
