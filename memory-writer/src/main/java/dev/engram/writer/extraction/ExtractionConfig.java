package dev.engram.writer.extraction;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link ContentExtractor}.
 *
 * @param maxChars most characters of text kept per document; the rest is dropped and the result marked truncated
 * @param timeout longest time one document's parsing may take
 */
public record ExtractionConfig(int maxChars, Duration timeout) {

    public ExtractionConfig {
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** One million characters (a few hundred pages), 60 seconds. */
    public static ExtractionConfig defaults() {
        return new ExtractionConfig(1_000_000, Duration.ofSeconds(60));
    }
}
