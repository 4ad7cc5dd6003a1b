package dev.engram.memory.extract.llm;

/** The model's answer cannot be used as it is; the message names the problem by position and id, never by text. */
final class MalformedAnswerException extends Exception {

    MalformedAnswerException(String message) {
        super(message);
    }
}
