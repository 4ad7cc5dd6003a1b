package dev.engram.writer.extraction;

import dev.engram.writer.extraction.ExtractionException.Kind;
import dev.engram.writer.extraction.MarkdownHandler.Stop;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.jboss.logging.Logger;
import org.xml.sax.ContentHandler;

/**
 * Extracts clean text, a title and the document type from a document's content or a file's bytes.
 *
 * <p>The format is detected from the bytes with Apache Tika (magic numbers, container inspection); a declared content
 * type or file name only refines what the bytes show (bytes that are plain text named {@code .md} are Markdown; bytes
 * that are a PDF named {@code .txt} are a PDF). Text formats (plain text, Markdown, CSV, JSON) are decoded and kept as
 * they are apart from whitespace normalisation, so Markdown stays Markdown for the chunker. Other supported formats
 * (HTML, PDF, Office, OpenDocument, RTF, EPUB, e-mail, XML) go through Tika's parser and come out as light Markdown
 * (see {@link MarkdownHandler}); embedded documents (attachments, objects inside Office files) are not extracted.
 *
 * <p>Parsing runs on the extractor's own daemon threads so the caller gets control back at the time limit even if a
 * parser hangs; the parse itself is stopped at its next output event. Thread-safe; {@link #close()} stops the threads.
 */
public final class ContentExtractor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ContentExtractor.class);
    private static final Pattern MARKDOWN_SIGNS =
            Pattern.compile("^ {0,3}(#{1,6}[ \\t]+\\S|```|~~~)", Pattern.MULTILINE);

    private final ExtractionConfig config;
    private final TikaConfig tika;
    private final ExecutorService parsers;

    /** Loads Tika's parsers and detectors (a one-time cost of a second or two); create one and share it. */
    public ContentExtractor(ExtractionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.tika = TikaConfig.getDefaultConfig();
        this.parsers = Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("engram-extract-", 0).factory());
    }

    /**
     * Extracts a document's text.
     *
     * @throws ExtractionException if the format is unsupported, the document is encrypted, damaged or has no text, or
     *     parsing took too long
     */
    public ExtractedContent extract(ContentSource source) {
        Objects.requireNonNull(source, "source");
        long started = System.nanoTime();
        ExtractedContent result = switch (source) {
            case ContentSource.Text text -> fromText(text.content());
            case ContentSource.Binary binary -> fromBytes(binary);
        };
        LOG.debugf(
                "extracted %d chars of %s in %d ms%s",
                result.text().length(),
                result.mediaType(),
                (System.nanoTime() - started) / 1_000_000,
                result.truncated() ? " (truncated)" : "");
        return result;
    }

    /** Stops the parsing threads; a parse still running is interrupted. */
    @Override
    public void close() {
        parsers.shutdownNow();
    }

    private ExtractedContent fromText(String content) {
        String start = content.stripLeading().toLowerCase(Locale.ROOT);
        if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
            return parse(content.getBytes(StandardCharsets.UTF_8), MediaType.TEXT_HTML, Format.HTML, null);
        }
        boolean markdown = MARKDOWN_SIGNS.matcher(content).find();
        return fromDecodedText(
                content, markdown ? Format.MARKDOWN : Format.PLAIN_TEXT, markdown ? "text/markdown" : "text/plain");
    }

    private ExtractedContent fromBytes(ContentSource.Binary binary) {
        byte[] bytes = binary.bytes();
        if (bytes.length == 0) {
            throw new ExtractionException(Kind.EMPTY, "no text could be extracted: the file is empty");
        }
        MediaType detected = detect(binary);
        Format format = Format.of(detected, tika.getMediaTypeRegistry())
                .orElseThrow(() -> new ExtractionException(
                        Kind.UNSUPPORTED_TYPE, "files of type " + detected.getBaseType() + " are not supported"));
        if (format == Format.PROTECTED_OFFICE) {
            throw new ExtractionException(Kind.ENCRYPTED, "the document is password-protected");
        }
        if (!format.textual()) {
            return parse(bytes, detected.getBaseType(), format, binary.filename());
        }
        String text = decode(bytes, binary.declaredContentType());
        if (format == Format.PLAIN_TEXT && MARKDOWN_SIGNS.matcher(text).find()) {
            return fromDecodedText(text, Format.MARKDOWN, detected.getBaseType().toString());
        }
        return fromDecodedText(text, format, detected.getBaseType().toString());
    }

    private MediaType detect(ContentSource.Binary binary) {
        Metadata metadata = new Metadata();
        if (binary.filename() != null && !binary.filename().isBlank()) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, binary.filename());
        }
        if (binary.declaredContentType() != null
                && !binary.declaredContentType().isBlank()) {
            metadata.set(Metadata.CONTENT_TYPE, binary.declaredContentType());
        }
        try (TikaInputStream in = TikaInputStream.get(binary.bytes())) {
            return tika.getDetector().detect(in, metadata);
        } catch (IOException e) {
            throw new ExtractionException(Kind.CORRUPT, "the file's format could not be determined", e);
        }
    }

    private ExtractedContent fromDecodedText(String text, Format format, String mediaType) {
        TextNormalizer.Mode mode = format == Format.PLAIN_TEXT ? TextNormalizer.Mode.PROSE : TextNormalizer.Mode.LAYOUT;
        String normalized = TextNormalizer.normalize(text, mode);
        return result(normalized, null, null, format, mediaType, false);
    }

    /** Parses with Tika on a parser thread, within the time limit. */
    private ExtractedContent parse(byte[] bytes, MediaType type, Format format, String filename) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        MarkdownHandler handler = new MarkdownHandler(config.maxChars(), deadline);
        Metadata metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, type.toString());
        if (filename != null && !filename.isBlank()) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        }
        ParseContext context = parseContext();
        Future<?> parsing = parsers.submit(() -> {
            try (InputStream in = TikaInputStream.get(bytes)) {
                tika.getParser().parse(in, handler, metadata, context);
            }
            return null;
        });
        try {
            parsing.get(config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            parsing.cancel(true);
            throw timeout();
        } catch (InterruptedException e) {
            parsing.cancel(true);
            Thread.currentThread().interrupt();
            throw new ExtractionException(Kind.TIMEOUT, "extraction was interrupted", e);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            Stop stop = find(failure, Stop.class);
            if (stop == null || stop.reason == Stop.Reason.TIMEOUT) {
                throw stop != null ? timeout() : failed(failure, type);
            }
            // the character limit was reached: keep what was extracted
        }
        String text = TextNormalizer.normalize(handler.markdown(), TextNormalizer.Mode.LAYOUT);
        return result(
                text,
                metadata.get(TikaCoreProperties.TITLE),
                handler.firstHeading(),
                format,
                type.toString(),
                handler.truncated());
    }

    private ExtractedContent result(
            String text, String declaredTitle, String firstHeading, Format format, String mediaType, boolean cut) {
        if (text.isBlank()) {
            throw new ExtractionException(Kind.EMPTY, "no text could be extracted");
        }
        boolean truncated = cut;
        if (text.length() > config.maxChars()) {
            int end = config.maxChars();
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            text = text.substring(0, end).stripTrailing();
            truncated = true;
        }
        String title = Titles.pick(declaredTitle, firstHeading, text);
        return new ExtractedContent(text, title, format.documentType(), mediaType, truncated);
    }

    private ParseContext parseContext() {
        ParseContext context = new ParseContext();
        context.set(HtmlMapper.class, new BoilerplateHtmlMapper());
        // No OCR here (the OCR parser is not on the class path); without this, Tika's PDF parser tries OCR on pages
        // without text and fails.
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        pdf.setExtractInlineImages(false);
        context.set(PDFParserConfig.class, pdf);
        context.set(EmbeddedDocumentExtractor.class, new EmbeddedDocumentExtractor() {
            @Override
            public boolean shouldParseEmbedded(Metadata metadata) {
                return false;
            }

            @Override
            public void parseEmbedded(
                    InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml) {
                // embedded documents are not extracted
            }
        });
        return context;
    }

    /** Decodes text bytes: UTF-8 when they are valid UTF-8, else the charset Tika detects. */
    private String decode(byte[] bytes, String declaredContentType) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            Metadata metadata = new Metadata();
            if (declaredContentType != null && !declaredContentType.isBlank()) {
                metadata.set(Metadata.CONTENT_TYPE, declaredContentType);
            }
            try (AutoDetectReader reader =
                    new AutoDetectReader(new ByteArrayInputStream(bytes), metadata, tika.getEncodingDetector())) {
                StringWriter text = new StringWriter();
                reader.transferTo(text);
                return text.toString();
            } catch (IOException | TikaException e) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
    }

    private ExtractionException timeout() {
        return new ExtractionException(
                Kind.TIMEOUT,
                "extracting text took longer than " + config.timeout().toSeconds() + " s");
    }

    private static ExtractionException failed(Throwable failure, MediaType type) {
        if (find(failure, EncryptedDocumentException.class) != null || namedLike(failure, "Encrypted", "Password")) {
            return new ExtractionException(Kind.ENCRYPTED, "the document is password-protected", failure);
        }
        if (find(failure, ZeroByteFileException.class) != null) {
            return new ExtractionException(Kind.EMPTY, "no text could be extracted: the file is empty", failure);
        }
        return new ExtractionException(
                Kind.CORRUPT, "the " + describe(type) + " could not be read; it may be damaged or incomplete", failure);
    }

    private static String describe(MediaType type) {
        return switch (type.getBaseType().toString()) {
            case "application/pdf" -> "PDF";
            case "text/html", "application/xhtml+xml" -> "HTML page";
            default -> "file (" + type.getBaseType() + ")";
        };
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Whether an exception in the chain has a class name with one of the words (POI's and PDFBox's own types). */
    private static boolean namedLike(Throwable failure, String... words) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (String word : words) {
                if (t.getClass().getSimpleName().contains(word)) {
                    return true;
                }
            }
        }
        return false;
    }
}
