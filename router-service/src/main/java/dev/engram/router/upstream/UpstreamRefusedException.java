package dev.engram.router.upstream;

/** The requested upstream is not one the router forwards to; the message says why, for the caller. */
public final class UpstreamRefusedException extends RuntimeException {

    private final boolean badUrl;

    UpstreamRefusedException(String message, boolean badUrl) {
        super(message);
        this.badUrl = badUrl;
    }

    /** Whether the URL itself is unusable (400) rather than a forbidden destination (403). */
    public boolean badUrl() {
        return badUrl;
    }
}
