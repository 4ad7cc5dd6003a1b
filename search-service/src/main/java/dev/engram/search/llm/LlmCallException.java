package dev.engram.search.llm;

/**
 * A call to the search LLM that gave nothing usable: no connection, a timeout, an error status or an unreadable answer.
 * The message is safe to show in a response's {@code warnings}: it names what went wrong, never prompt or result text.
 */
public class LlmCallException extends Exception {

    public LlmCallException(String message) {
        super(message);
    }

    public LlmCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
