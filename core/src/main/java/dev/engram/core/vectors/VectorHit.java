package dev.engram.core.vectors;

/**
 * One result of a {@link VectorQuery}.
 *
 * @param point the stored point (its vector may be empty: adapters need not return it)
 * @param score cosine similarity in [-1, 1] (higher is closer)
 */
public record VectorHit(VectorPoint point, double score) {}
