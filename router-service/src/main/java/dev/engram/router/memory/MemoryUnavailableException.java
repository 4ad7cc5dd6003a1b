package dev.engram.router.memory;

/**
 * Memories could not be had for a request; the request goes upstream without them and {@code x-supermemory-error}
 * carries {@link #header()}. The message never holds memory or prompt text.
 */
public final class MemoryUnavailableException extends RuntimeException {

    private final String code;

    /**
     * @param code a short, stable code: {@code memory-timeout}, {@code memory-error} or {@code memory-unavailable}
     * @param message what happened, for the header and the log
     */
    public MemoryUnavailableException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The value of {@code x-supermemory-error}: the code and the message. */
    public String header() {
        return code + ": " + getMessage();
    }
}
