package dev.engram.router.history;

/**
 * A conversation's stored turns could not be had for a request; the request goes upstream without them and {@code
 * x-supermemory-error} carries {@link #header()}. The message never holds conversation text.
 */
public final class HistoryUnavailableException extends RuntimeException {

    private final String code;

    /**
     * @param code a short, stable code: {@code history-timeout}, {@code history-error} or {@code history-unavailable}
     * @param message what happened, for the header and the log
     */
    public HistoryUnavailableException(String code, String message) {
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
