package dev.engram.ingest.api;

/** A request collides with stored data in a way retrying will not solve; answered with 409 and nothing is stored. */
public final class ConflictException extends RuntimeException {

    /**
     * @param field the request field at fault, e.g. {@code conversationId}
     * @param reason what it collides with, readable by the caller
     */
    public ConflictException(String field, String reason) {
        super(field + ": " + reason);
    }
}
