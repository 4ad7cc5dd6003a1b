package dev.engram.memory.extract;

import java.time.Instant;
import java.util.Objects;

/**
 * One piece of source text: a conversation turn or a document chunk.
 *
 * @param ref the caller's id for provenance (a message index, a chunk id); unique within a request and echoed back in
 *     {@link MemoryOperation#sourceRefs()}
 * @param speaker the speaker's name or role label, or {@code null} when unknown
 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool} for a conversation turn; {@code null} for
 *     document text
 * @param date when it was said or written, or {@code null} to use {@link ExtractionRequest#documentDate()}
 * @param text the text itself
 */
public record SourceTurn(String ref, String speaker, String role, Instant date, String text) {

    public SourceTurn {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("ref is required");
        }
        Objects.requireNonNull(text, "text");
        speaker = speaker == null || speaker.isBlank() ? null : speaker.strip();
        role = role == null || role.isBlank() ? null : role.strip();
    }

    /** A document chunk: no speaker, no role, the request's date. */
    public static SourceTurn document(String ref, String text) {
        return new SourceTurn(ref, null, null, null, text);
    }

    /** A conversation turn said by {@code speaker} in {@code role} at {@code date}. */
    public static SourceTurn turn(String ref, String speaker, String role, Instant date, String text) {
        return new SourceTurn(ref, speaker, role, date, text);
    }
}
