package dev.engram.writer.api;

/** A request broke a documented rule; answered with 400 and nothing is stored. */
public final class InvalidRequestException extends RuntimeException {

    private final String field;

    /**
     * @param field the request field at fault, e.g. {@code memories[3].content}
     * @param reason what is wrong with it, readable by the caller
     */
    public InvalidRequestException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The request field at fault. */
    public String field() {
        return field;
    }
}
