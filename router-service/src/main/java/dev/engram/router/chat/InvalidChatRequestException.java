package dev.engram.router.chat;

/** The request body is not a chat request the router can work with; the message names the field. */
public final class InvalidChatRequestException extends RuntimeException {

    public InvalidChatRequestException(String message) {
        super(message);
    }
}
