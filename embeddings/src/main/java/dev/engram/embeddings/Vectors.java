package dev.engram.embeddings;

/** Small vector helpers shared by the embedders. */
final class Vectors {

    private Vectors() {}

    /** {@code vector} scaled to unit length in place and returned; a zero vector is returned unchanged. */
    static float[] normalise(float[] vector) {
        double sumOfSquares = 0;
        for (float x : vector) {
            sumOfSquares += (double) x * x;
        }
        if (sumOfSquares == 0) {
            return vector;
        }
        float scale = (float) (1.0 / Math.sqrt(sumOfSquares));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    /** Dot product; for unit vectors, the cosine similarity. */
    static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
