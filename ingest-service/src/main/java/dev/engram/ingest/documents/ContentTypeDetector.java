package dev.engram.ingest.documents;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.apache.tika.Tika;

/**
 * Detects an upload's content type from its bytes (magic numbers, markup sniffing). The file name may only refine a
 * detected text type (e.g. text/plain to text/markdown or text/csv); it can never make a binary file pass as another
 * type, and the client's declared type is not consulted at all.
 */
@ApplicationScoped
public class ContentTypeDetector {

    /** Types the pipeline can turn into text. */
    public static final Set<String> SUPPORTED = Set.of(
            "text/plain",
            "text/markdown",
            "text/x-web-markdown",
            "text/csv",
            "text/html",
            "application/xhtml+xml",
            "application/json",
            "application/xml",
            "text/xml",
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/msword",
            "application/rtf",
            "application/vnd.oasis.opendocument.text");

    private final Tika tika = new Tika();

    /** The detected type, without parameters. */
    public String detect(byte[] bytes, String filename) {
        String type = tika.detect(bytes, filename);
        int semicolon = type.indexOf(';');
        return semicolon < 0 ? type : type.substring(0, semicolon);
    }

    /** Whether text can be extracted from {@code type}. */
    public boolean isSupported(String type) {
        return SUPPORTED.contains(type) || type.startsWith("text/");
    }
}
