package dev.engram.core.vectors;

/** What a collection of vectors holds; each kind is its own collection (Qdrant) or index (Lucene). */
public enum VectorKind {
    /** Chunks of documents. */
    CHUNKS("chunks"),
    /** Memories (atomic facts). */
    MEMORIES("memories");

    private final String collectionSuffix;

    VectorKind(String collectionSuffix) {
        this.collectionSuffix = collectionSuffix;
    }

    /** Name part of this kind's collection, e.g. {@code chunks}. */
    public String collectionSuffix() {
        return collectionSuffix;
    }
}
