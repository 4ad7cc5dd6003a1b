package dev.engram.search.api;

/** A request broke a documented rule; answered with 400 naming the field. */
public final class InvalidRequestException extends RuntimeException {

    /**
     * @param field the request field at fault, e.g. {@code threshold}
     * @param reason what is wrong with it, readable by the caller
     */
    public InvalidRequestException(String field, String reason) {
        super(field + ": " + reason);
    }
}
