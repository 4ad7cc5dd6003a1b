/**
 * The Qdrant adapter: {@link dev.engram.vectors.qdrant.QdrantVectorStore} over the official gRPC client, configured
 * by {@link dev.engram.vectors.qdrant.QdrantConfig}.
 */
package dev.engram.vectors.qdrant;
