package dev.engram.vectors;

/**
 * L2 normalisation at the store boundary: embeddings are meant to arrive normalised, but both stores compare by
 * cosine only if they are, so every vector is normalised (a copy) before it is written or searched.
 */
public final class UnitVectors {

    private UnitVectors() {}

    /**
     * A unit-length copy of {@code vector}.
     *
     * @throws IllegalArgumentException if the vector has the wrong dimension, a non-finite component or zero length
     */
    public static float[] normalized(float[] vector, int dimension) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    "vector has dimension " + vector.length + " but the collection has " + dimension);
        }
        double sum = 0;
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("vector has a non-finite component");
            }
            sum += (double) v * v;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("vector has zero length");
        }
        double norm = Math.sqrt(sum);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    /** A cosine similarity clamped to [-1, 1] (float rounding can step just outside). */
    public static double clampCosine(double cosine) {
        return Math.max(-1.0, Math.min(1.0, cosine));
    }
}
