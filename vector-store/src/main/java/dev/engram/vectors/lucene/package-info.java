/**
 * The embedded Lucene adapter: {@link dev.engram.vectors.lucene.LuceneVectorStore}, one index directory per vector
 * kind, written by one process and read by others.
 *
 * <p>The field layout is versioned in each index's commit data ({@code engram.layout}). Layout 3 adds the
 * English-analysed text that lexical search ({@code searchText}) ranks; points written by an older version lack it
 * and are never found by lexical search (dense search still finds them), so an index created before layout 3 needs a
 * reindex: opening it as the writer logs a warning saying so.
 */
package dev.engram.vectors.lucene;
