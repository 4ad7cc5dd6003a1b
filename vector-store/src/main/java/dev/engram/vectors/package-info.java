/**
 * The {@link dev.engram.core.vectors.VectorStore} adapters: embedded Lucene ({@code lucene}) and Qdrant
 * ({@code qdrant}), and what they share: how metadata is projected into indexable values so that every filter
 * condition of {@link dev.engram.core.filters.Filter} is one exact lookup in either store ({@link IndexedValue},
 * {@link CaseFolding}), point keys and vector normalisation.
 */
package dev.engram.vectors;
