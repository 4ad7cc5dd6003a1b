package dev.engram.writer.extraction;

import dev.engram.core.documents.DocumentSources;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What a document's text is extracted from: its content as given, or bytes from an upload or a fetched URL. */
public sealed interface ContentSource permits ContentSource.Text, ContentSource.Binary {

    /**
     * A document's content given as a string (plain text, Markdown, or an HTML page pasted as text). A string that is a
     * URL should be fetched first ({@link #isUrl(String)}).
     *
     * @param content the content
     */
    record Text(String content) implements ContentSource {
        public Text {
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Bytes of a file. The declared type and the file name are hints only: the format is detected from the bytes, and a
     * hint is used only when it refines what the bytes show (for instance {@code .md} on bytes that are plain text).
     *
     * @param bytes the file's bytes
     * @param declaredContentType the {@code Content-Type} sent with the bytes, or {@code null}
     * @param filename the file name, or {@code null}
     */
    record Binary(byte[] bytes, String declaredContentType, String filename) implements ContentSource {
        public Binary {
            Objects.requireNonNull(bytes, "bytes");
        }

        /**
         * Bytes fetched from a URL: the file name hint is the last segment of the URL's path.
         *
         * @param body the fetched body
         * @param contentType the declared {@code Content-Type}, or {@code null}
         * @param url the URL the body came from (after redirects)
         */
        public static Binary fetched(byte[] body, String contentType, URI url) {
            String path = url.getRawPath();
            String name = null;
            if (path != null && !path.isEmpty() && !path.endsWith("/")) {
                String segment = path.substring(path.lastIndexOf('/') + 1);
                try {
                    name = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    name = segment;
                }
            }
            return new Binary(body, contentType, name);
        }
    }

    /**
     * Whether a document's content is a URL to fetch rather than text: a single absolute http or https URL with a host,
     * nothing else (surrounding whitespace aside). The same rule as the ingest side's
     * {@link DocumentSources#isUrl(String)}, which it delegates to, so both sides agree on what is a URL.
     */
    static boolean isUrl(String content) {
        return DocumentSources.isUrl(content);
    }
}
