package dev.engram.core.vectors;

/**
 * One result of a {@link VectorQuery} (dense) or a {@link TextQuery} (lexical). The two kinds of score are on different
 * scales and must not be compared with each other directly; to fuse the two lists, use ranks or normalise the lexical
 * scores of one query first (e.g. by its best score), and {@link VectorStore#vectorsOf} for the cosines of lexical hits.
 *
 * @param point the stored point (its vector may be empty: adapters need not return it)
 * @param score for a dense hit ({@link VectorStore#search}), the cosine similarity in [-1, 1] (higher is closer); for
 *     a lexical hit ({@link VectorStore#searchText}), the adapter's raw BM25-style score: positive, unbounded, higher
 *     is better, comparable only between hits of the same query and adapter
 */
public record VectorHit(VectorPoint point, double score) {}
