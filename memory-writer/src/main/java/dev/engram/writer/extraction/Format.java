package dev.engram.writer.extraction;

import java.util.Optional;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;

/**
 * The document formats Engram extracts text from, derived from a detected media type. Anything else (images, audio,
 * video, archives, executables, fonts...) is refused as unsupported rather than producing empty or binary noise.
 */
enum Format {
    PLAIN_TEXT(DocumentType.TEXT, true),
    MARKDOWN(DocumentType.TEXT, true),
    JSON(DocumentType.TEXT, true),
    DELIMITED(DocumentType.GOOGLE_SHEET, true),
    HTML(DocumentType.WEBPAGE, false),
    XML(DocumentType.TEXT, false),
    PDF(DocumentType.PDF, false),
    WORD_PROCESSING(DocumentType.GOOGLE_DOC, false),
    SPREADSHEET(DocumentType.GOOGLE_SHEET, false),
    PRESENTATION(DocumentType.GOOGLE_SLIDE, false),
    EMAIL(DocumentType.TEXT, false),
    /** An Office file Tika recognises as encrypted (password-protected OOXML). */
    PROTECTED_OFFICE(DocumentType.GOOGLE_DOC, false);

    private final DocumentType documentType;
    private final boolean textual;

    Format(DocumentType documentType, boolean textual) {
        this.documentType = documentType;
        this.textual = textual;
    }

    DocumentType documentType() {
        return documentType;
    }

    /** Whether the bytes are text to decode as they are (no parser needed). */
    boolean textual() {
        return textual;
    }

    /** The format of a detected media type, if it is one Engram extracts. */
    static Optional<Format> of(MediaType detected, MediaTypeRegistry registry) {
        MediaType type = detected.getBaseType();
        String name = type.toString();
        String subtype = type.getSubtype();
        Format format = switch (name) {
            case "text/html", "application/xhtml+xml" -> HTML;
            case "text/markdown", "text/x-web-markdown", "text/x-markdown" -> MARKDOWN;
            case "text/csv", "text/tab-separated-values" -> DELIMITED;
            case "application/json" -> JSON;
            case "application/pdf" -> PDF;
            case "application/msword", "application/rtf", "application/epub+zip" -> WORD_PROCESSING;
            case "application/vnd.ms-excel" -> SPREADSHEET;
            case "application/vnd.ms-powerpoint" -> PRESENTATION;
            case "message/rfc822", "application/vnd.ms-outlook" -> EMAIL;
            case "application/x-tika-ooxml-protected" -> PROTECTED_OFFICE;
            case "application/xml", "text/xml" -> XML;
            default -> null;
        };
        if (format != null) {
            return Optional.of(format);
        }
        if (subtype.contains("wordprocessingml")
                || subtype.startsWith("vnd.ms-word")
                || subtype.startsWith("vnd.oasis.opendocument.text")) {
            return Optional.of(WORD_PROCESSING);
        }
        if (subtype.contains("spreadsheetml")
                || subtype.startsWith("vnd.ms-excel")
                || subtype.startsWith("vnd.oasis.opendocument.spreadsheet")) {
            return Optional.of(SPREADSHEET);
        }
        if (subtype.contains("presentationml")
                || subtype.startsWith("vnd.ms-powerpoint")
                || subtype.startsWith("vnd.oasis.opendocument.presentation")) {
            return Optional.of(PRESENTATION);
        }
        String family = type.getType();
        if (family.equals("image") || family.equals("audio") || family.equals("video")) {
            return Optional.empty(); // no OCR or transcription here, even for XML-based images (SVG)
        }
        if (subtype.endsWith("+json")) {
            return Optional.of(JSON);
        }
        if (subtype.endsWith("+xml") || registry.isInstanceOf(type, MediaType.APPLICATION_XML)) {
            return Optional.of(XML);
        }
        if (family.equals("text") || registry.isInstanceOf(type, MediaType.TEXT_PLAIN)) {
            return Optional.of(PLAIN_TEXT); // source code, logs, calendars and other text
        }
        return Optional.empty();
    }
}
