package dev.engram.chunking;

import java.util.List;
import java.util.Objects;

/**
 * A piece of a document to embed and index.
 *
 * @param index position in the document, from 0
 * @param text what is embedded: the heading path (e.g. {@code # Guide > ## Install}) on the first line when the chunk
 *     is under a heading, then the overlap from the previous chunk, then the body
 * @param startOffset where the body starts in the chunker's input (overlap and heading path excluded)
 * @param endOffset where the body ends in the chunker's input (exclusive)
 * @param tokenCount tokens of {@code text}, at most the configured maximum
 * @param contentHash SHA-256 of {@code text} (UTF-8), lower-case hex
 * @param occurrence how many earlier chunks of the same document have the same {@code contentHash} (usually 0)
 * @param headings the heading path, outermost first, each with its Markdown marker ({@code ## Install}); empty before
 *     the first heading
 */
public record Chunk(
        int index,
        String text,
        int startOffset,
        int endOffset,
        int tokenCount,
        String contentHash,
        int occurrence,
        List<String> headings) {

    public Chunk {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(contentHash, "contentHash");
        headings = List.copyOf(headings);
    }
}
