/**
 * The Qdrant adapter: {@link dev.engram.vectors.qdrant.QdrantVectorStore} over the official gRPC client, configured
 * by {@link dev.engram.vectors.qdrant.QdrantConfig}.
 *
 * <p>Each collection has an unnamed dense vector and, since lexical search, a sparse vector of BM25 term weights
 * ({@link dev.engram.vectors.qdrant.QdrantLexical}). A collection created before then has no sparse vector and Qdrant
 * cannot add one: drop it and reindex to get lexical search (dense search keeps working meanwhile).
 */
package dev.engram.vectors.qdrant;
