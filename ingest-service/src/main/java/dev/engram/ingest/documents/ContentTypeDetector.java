package dev.engram.ingest.documents;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.apache.tika.Tika;

/**
 * Detects an upload's content type from its bytes (magic numbers, markup sniffing). The file name may only refine the
 * type the bytes show into one of its subtypes (text/plain to text/markdown or text/csv, a ZIP to a DOCX); bytes that
 * match no known type stay {@code application/octet-stream} whatever the name, so no name can make unknown binary
 * pass as text or PDF. The client's declared type is not consulted at all.
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

    private static final String OCTET_STREAM = "application/octet-stream";

    private final Tika tika = new Tika();

    /** The detected type, without parameters. */
    public String detect(byte[] bytes, String filename) {
        String fromBytes = withoutParameters(tika.detect(bytes));
        if (filename == null || OCTET_STREAM.equals(fromBytes)) {
            return fromBytes;
        }
        // Tika takes the name's type only when it is a subtype of what the bytes show.
        return withoutParameters(tika.detect(bytes, filename));
    }

    private static String withoutParameters(String type) {
        int semicolon = type.indexOf(';');
        return semicolon < 0 ? type : type.substring(0, semicolon);
    }

    /** Whether text can be extracted from {@code type}. */
    public boolean isSupported(String type) {
        return SUPPORTED.contains(type) || type.startsWith("text/");
    }
}
