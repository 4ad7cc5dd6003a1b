package dev.engram.search.query;

/** PostgreSQL could not answer a read of a search; the client may retry (503). */
public final class SearchStorageException extends RuntimeException {

    public SearchStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
