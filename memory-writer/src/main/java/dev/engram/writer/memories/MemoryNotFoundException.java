package dev.engram.writer.memories;

/** No memory with that id or content in the organisation and container tag (a memory of another tag is not found). */
public final class MemoryNotFoundException extends RuntimeException {

    public MemoryNotFoundException(String message) {
        super(message);
    }
}
