package dev.engram.writer.store;

/**
 * A chunk as stored, with its embedding.
 *
 * @param id deterministic id (see the chunker): unchanged text of a document keeps its id
 * @param position the chunk's place in the document, from 0
 * @param content the chunk text
 * @param contentHash hash of the text
 * @param tokenCount model tokens in the text
 * @param modelId the model that made {@code embedding}
 * @param embedding the chunk's vector
 */
public record StoredChunk(
        String id,
        int position,
        String content,
        String contentHash,
        int tokenCount,
        String modelId,
        float[] embedding) {}
