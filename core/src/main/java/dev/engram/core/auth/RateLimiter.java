package dev.engram.core.auth;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fixed-window request counting per key, in this process: a key's window opens with its first request and admits
 * {@link RateLimit#maxRequests()} requests until it ends. Each service replica counts on its own, so a limit holds
 * per replica (documented in the README); that keeps the check off the network on every request.
 *
 * <p>Thread-safe. Windows that ended are dropped once more than {@value #SWEEP_ABOVE} keys are tracked.
 */
public final class RateLimiter {

    private static final int SWEEP_ABOVE = 10_000;

    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** A limiter on {@link System#nanoTime()}. */
    public RateLimiter() {
        this(System::nanoTime);
    }

    /** A limiter on the given monotonic clock, in nanoseconds (for tests). */
    public RateLimiter(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Counts one request of {@code keyId} under {@code limit}.
     *
     * @return 0 if it is admitted, else the whole seconds (at least 1) until the key's window ends
     */
    public long acquire(String keyId, RateLimit limit) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(limit, "limit");
        long now = nanoTime.getAsLong();
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(window -> window.endedBy(now));
        }
        Window window = windows.computeIfAbsent(keyId, id -> new Window());
        return window.acquire(now, limit);
    }

    /** Keys tracked now (for tests and metrics). */
    public int trackedKeys() {
        return windows.size();
    }

    private static final class Window {
        private long start;
        private long length = -1;
        private int count;

        synchronized long acquire(long now, RateLimit limit) {
            long window = limit.window().toNanos();
            if (length < 0 || now - start >= length || length != window) {
                start = now;
                length = window;
                count = 0;
            }
            if (count < limit.maxRequests()) {
                count++;
                return 0;
            }
            long remaining = start + length - now;
            return Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L);
        }

        synchronized boolean endedBy(long now) {
            return length >= 0 && now - start >= length;
        }
    }
}
