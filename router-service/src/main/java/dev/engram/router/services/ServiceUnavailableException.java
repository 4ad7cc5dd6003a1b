package dev.engram.router.services;

/**
 * Another Engram service could not answer a request's side call in time (memories from search, a conversation's turns
 * from ingest); the request goes upstream without what it would have added and {@code x-supermemory-error} carries
 * {@link #header()}. The message never holds memory, prompt or conversation text.
 */
public final class ServiceUnavailableException extends RuntimeException {

    private final String code;

    /**
     * @param code a short, stable code such as {@code memory-timeout}, {@code history-error} or {@code
     *     memory-unavailable}
     * @param message what happened, for the header and the log
     */
    public ServiceUnavailableException(String code, String message) {
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
