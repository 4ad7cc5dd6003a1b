package dev.engram.search.memories;

import java.time.Duration;
import java.time.Instant;

/**
 * The order of memory results: a rank score that is the calibrated similarity plus small adjustments for what the
 * memory is, so that near ties go to the memory more likely to be the current, stated fact. The reported
 * {@code similarity} (which {@code threshold} cuts) is not changed; only the order is.
 *
 * <pre>
 *   rank = similarity + {@value #STATIC_BONUS} if isStatic
 *                     + {@value #RECENCY_MAX} * 0.5^(age / 30 days)   (age since updatedAt, 0 for a future instant)
 *                     - {@value #INFERENCE_PENALTY} if isInference
 * </pre>
 *
 * The adjustments span at most {@link #SPREAD} ({@value #STATIC_BONUS} + {@value #RECENCY_MAX} +
 * {@value #INFERENCE_PENALTY}), so a memory more similar by more than that always ranks first; below it, state breaks
 * the tie. Pure: the caller passes the clock's instant.
 */
public final class MemoryRanking {

    /** Added for a static memory (a lasting fact about the user, the profile's {@code static} part). */
    public static final double STATIC_BONUS = 0.03;

    /** Added for a memory updated just now; halves every {@link #RECENCY_HALF_LIFE}. */
    public static final double RECENCY_MAX = 0.05;

    /** The age at which the recency bonus is half of {@link #RECENCY_MAX}. */
    public static final Duration RECENCY_HALF_LIFE = Duration.ofDays(30);

    /** Subtracted for an inferred memory (derived by the extractor, not stated by the user). */
    public static final double INFERENCE_PENALTY = 0.03;

    /**
     * The most the adjustments of two memories can differ by: a memory less similar by more than this never ranks
     * above the other.
     */
    public static final double SPREAD = STATIC_BONUS + RECENCY_MAX + INFERENCE_PENALTY;

    private MemoryRanking() {}

    /** The rank score of a memory with calibrated {@code similarity}, at {@code now}. */
    public static double rank(
            double similarity, boolean isStatic, boolean isInference, Instant updatedAt, Instant now) {
        return similarity + adjustment(isStatic, isInference, updatedAt, now);
    }

    /** The sum of the adjustments, in {@code [-INFERENCE_PENALTY, STATIC_BONUS + RECENCY_MAX]}. */
    public static double adjustment(boolean isStatic, boolean isInference, Instant updatedAt, Instant now) {
        return (isStatic ? STATIC_BONUS : 0.0) + recency(updatedAt, now) - (isInference ? INFERENCE_PENALTY : 0.0);
    }

    /** {@link #RECENCY_MAX} halved for every half-life of age; 0 when {@code updatedAt} is unknown. */
    public static double recency(Instant updatedAt, Instant now) {
        if (updatedAt == null) {
            return 0.0;
        }
        double ageMillis = Math.max(0, Duration.between(updatedAt, now).toMillis());
        return RECENCY_MAX * Math.pow(0.5, ageMillis / RECENCY_HALF_LIFE.toMillis());
    }
}
