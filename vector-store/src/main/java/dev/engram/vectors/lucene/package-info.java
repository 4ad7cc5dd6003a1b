/**
 * The embedded Lucene adapter: {@link dev.engram.vectors.lucene.LuceneVectorStore}, one index directory per vector
 * kind, written by one process and read by others.
 */
package dev.engram.vectors.lucene;
