package dev.engram.writer.pipeline;

import java.util.List;

/** The {@link Stage#CHUNKING} step: cuts a document's text into token-sized chunks with deterministic ids. */
public interface ChunkPlanner {

    /**
     * The chunks of {@code text}, in order; ids depend only on the document and the chunk content.
     *
     * @param chunkSize the organisation's largest chunk in model tokens ({@code chunkSize} of {@code /v3/settings}),
     *     or {@code null} for the installation's default
     */
    List<PlannedChunk> plan(String orgId, String documentId, String text, Integer chunkSize);

    /**
     * One chunk to embed and index.
     *
     * @param id deterministic id: unchanged content of a document keeps its id across revisions
     * @param position place in the document, from 0
     * @param text the chunk text
     * @param contentHash hash of the text
     * @param tokenCount model tokens in the text
     */
    record PlannedChunk(String id, int position, String text, String contentHash, int tokenCount) {}
}
