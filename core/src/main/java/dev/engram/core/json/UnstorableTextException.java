package dev.engram.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A request body holds text that cannot be stored ({@link dev.engram.core.text.StorableText}): a 400 naming the field,
 * raised while the body is read so that no endpoint sees it.
 */
public final class UnstorableTextException extends JsonMappingException {

    private final String field;
    private final String reason;

    /**
     * @param field where the text is, e.g. {@code messages[0].content}, or {@code body} for the whole body
     * @param reason what is wrong with it
     */
    public UnstorableTextException(JsonParser parser, String field, String reason) {
        super(parser, field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** Where the text is, in the request's own notation ({@code a.b[0].c}). */
    public String field() {
        return field;
    }

    /** What is wrong with the text. */
    public String reason() {
        return reason;
    }

    /** {@code field: reason}, for the error's {@code details}. */
    public String details() {
        return field + ": " + reason;
    }
}
