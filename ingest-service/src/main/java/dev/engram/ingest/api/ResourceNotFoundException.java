package dev.engram.ingest.api;

/** The addressed resource does not exist for the caller's organisation; answered with 404. */
public final class ResourceNotFoundException extends RuntimeException {

    public ResourceNotFoundException(String message) {
        super(message);
    }
}
