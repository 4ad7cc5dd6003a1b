package dev.engram.writer.extraction;

import java.util.Objects;

/**
 * Text extracted from a document, ready for chunking.
 *
 * @param text the clean text: whitespace normalised, Markdown headings ({@code #}) and fenced code blocks where the
 *     source had headings and preformatted text (kept verbatim when the source is Markdown); never blank
 * @param title the detected title (HTML {@code <title>}, PDF or Office metadata, the first Markdown heading, else a
 *     short first line); never blank
 * @param type the Supermemory document type (see {@link DocumentType} for the mapping)
 * @param mediaType the media type detected from the content, e.g. {@code application/pdf}
 * @param truncated whether the text was cut at the configured character limit
 */
public record ExtractedContent(String text, String title, DocumentType type, String mediaType, boolean truncated) {

    public ExtractedContent {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
