package dev.engram.embeddings;

import dev.engram.core.embedding.TextEmbedder;

/** A {@link TextEmbedder} holding resources (a native model session, an HTTP client) that its owner releases. */
public interface CloseableTextEmbedder extends TextEmbedder, AutoCloseable {

    /** Releases the resources; idempotent. Calls to {@link #embed} after closing throw. */
    @Override
    void close();
}
