package dev.engram.core.filters;

/** A filter does not follow the grammar; the message names the path of the offending part. */
public final class InvalidFilterException extends RuntimeException {

    private final String path;

    public InvalidFilterException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    /** Where in the request the problem is, e.g. {@code filters.AND[2].numericOperator}. */
    public String path() {
        return path;
    }
}
