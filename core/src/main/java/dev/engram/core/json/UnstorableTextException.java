package dev.engram.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A request body holds text that cannot be stored ({@link dev.engram.core.text.StorableText}): a 400 naming the field,
 * raised while the body is read so that no endpoint sees it.
 */
public final class UnstorableTextException extends JsonMappingException {

    /** The {@link #field()} of text that is the whole body, not a field of it. */
    public static final String WHOLE_BODY = "body";

    private final String field;
    private final String reason;

    /**
     * @param field where the text is, e.g. {@code messages[0].content}, or {@value #WHOLE_BODY} for the whole body
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

    /**
     * Where the text is when the body read was itself the JSON value of {@code outer}, e.g. a form field: {@code outer}
     * for the whole value, {@code outer.k} for its key {@code k}, {@code outer[1]} for its second item.
     */
    public String fieldWithin(String outer) {
        if (field.equals(WHOLE_BODY)) {
            return outer;
        }
        return field.startsWith("[") ? outer + field : outer + "." + field;
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
