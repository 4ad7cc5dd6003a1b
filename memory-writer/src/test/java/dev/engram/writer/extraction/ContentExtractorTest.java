package dev.engram.writer.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.engram.writer.extraction.ExtractionException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTString;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/** Fixtures are generated here: HTML, Markdown, CSV and JSON as strings, PDFs with PDFBox, DOCX with POI. */
class ContentExtractorTest {

    private static final String HTML = """
            <!DOCTYPE html>
            <html><head>
              <title>Moving to   Berlin</title>
              <style>body { color: red; }</style>
              <script>window.tracking = "do not index me";</script>
            </head><body>
              <nav><a href="/">Home</a> <a href="/about">About us</a></nav>
              <article>
                <h1>Moving checklist</h1>
                <p>Register your   address within
                   two weeks.</p>
                <h2>Documents</h2>
                <ul><li>Passport</li><li>Rental contract</li></ul>
                <pre>apply --city berlin
              --fast</pre>
              </article>
              <aside>Related: ten cheap flats</aside>
              <footer>Copyright 2025 Example GmbH</footer>
            </body></html>
            """;

    private static ContentExtractor extractor;

    @BeforeAll
    static void loadTika() {
        extractor = new ContentExtractor(ExtractionConfig.defaults());
    }

    @AfterAll
    static void close() {
        extractor.close();
    }

    private static ExtractedContent bytes(byte[] bytes, String declaredType, String filename) {
        return extractor.extract(new ContentSource.Binary(bytes, declaredType, filename));
    }

    private static ExtractedContent bytes(String text, String declaredType, String filename) {
        return bytes(text.getBytes(StandardCharsets.UTF_8), declaredType, filename);
    }

    @Test
    void htmlBecomesAWebpageWithItsTitleAndWithoutScriptsStylesOrPageFurniture() {
        ExtractedContent content = bytes(HTML, "text/html", "index.html");

        assertThat(content.type()).isEqualTo(DocumentType.WEBPAGE);
        assertThat(content.type().wireValue()).isEqualTo("webpage");
        assertThat(content.mediaType()).isEqualTo("text/html");
        assertThat(content.title()).isEqualTo("Moving to Berlin");
        assertThat(content.text()).isEqualTo("""
                        # Moving checklist

                        Register your address within two weeks.

                        ## Documents

                        - Passport
                        - Rental contract

                        ```
                        apply --city berlin
                          --fast
                        ```""");
        assertThat(content.text()).doesNotContain("tracking", "color", "Home", "Related", "Copyright");
        assertThat(content.truncated()).isFalse();
    }

    @Test
    void anHtmlPageGivenAsTextIsExtractedAsAWebpage() {
        ExtractedContent content = extractor.extract(new ContentSource.Text(HTML));

        assertThat(content.type()).isEqualTo(DocumentType.WEBPAGE);
        assertThat(content.text()).startsWith("# Moving checklist").doesNotContain("<p>");
    }

    @Test
    void aPageWithoutTitleIsNamedByItsFirstHeading() {
        ExtractedContent content = bytes("<html><body><p>intro</p><h2>Real heading</h2></body></html>", null, null);

        assertThat(content.title()).isEqualTo("Real heading");
    }

    @Test
    void markdownStaysMarkdownAndIsTitledByItsFirstHeading() {
        String markdown = """
                Some preamble.

                # Release notes

                * fixed   the **parser**
                  * nested item

                ```java
                int   x = 1;   // spacing kept in code
                ```
                """;

        ExtractedContent file = bytes(markdown, null, "NOTES.md");
        ExtractedContent text = extractor.extract(new ContentSource.Text(markdown));

        assertThat(file.mediaType()).isEqualTo("text/markdown");
        assertThat(file.type()).isEqualTo(DocumentType.TEXT);
        assertThat(file.title()).isEqualTo("Release notes");
        assertThat(file.text()).contains("# Release notes", "* fixed   the **parser**", "  * nested item");
        assertThat(file.text()).contains("```java\nint   x = 1;   // spacing kept in code\n```");
        assertThat(text.text()).isEqualTo(file.text());
        assertThat(text.mediaType()).isEqualTo("text/markdown");
    }

    @Test
    void plainTextIsNormalisedAndTitledByAShortFirstLine() {
        String text = "  \uFEFFMeeting with   the landlord about the broken heating in the flat on the third floor "
                + "of the building\r\n\r\n\r\n\r\nHe\u00a0promised a fix\u200b by Friday.\t\t \n";

        ExtractedContent content = extractor.extract(new ContentSource.Text(text));

        assertThat(content.type()).isEqualTo(DocumentType.TEXT);
        assertThat(content.mediaType()).isEqualTo("text/plain");
        assertThat(content.text())
                .isEqualTo("Meeting with the landlord about the broken heating in the flat on the third floor of the "
                        + "building\n\nHe promised a fix by Friday.");
        assertThat(content.title())
                .isEqualTo("Meeting with the landlord about the broken heating in the flat on the third…")
                .hasSizeLessThanOrEqualTo(81);
    }

    @Test
    void csvIsASheetAndKeepsItsRows() {
        ExtractedContent content = bytes("city,rent\nBerlin,1200\nHamburg,1100\n", null, "rents.csv");

        assertThat(content.type()).isEqualTo(DocumentType.GOOGLE_SHEET);
        assertThat(content.mediaType()).isEqualTo("text/csv");
        assertThat(content.text()).isEqualTo("city,rent\nBerlin,1200\nHamburg,1100");
    }

    @Test
    void jsonIsTextAndKeepsItsLayout() {
        String json = "{\n  \"name\": \"Ada\",\n  \"likes\": [\"tea\"]\n}\n";

        ExtractedContent content = bytes(json, "application/json", "profile.json");

        assertThat(content.type()).isEqualTo(DocumentType.TEXT);
        assertThat(content.mediaType()).isEqualTo("application/json");
        assertThat(content.text()).isEqualTo(json.strip());
    }

    @Test
    void nonUtf8TextIsDecodedWithItsCharset() {
        byte[] latin1 = "Café crème, déjà vu, naïve façade — voilà".getBytes(StandardCharsets.ISO_8859_1);

        ExtractedContent content = bytes(latin1, "text/plain; charset=ISO-8859-1", "notes.txt");

        assertThat(content.text()).startsWith("Café crème, déjà vu, naïve façade");
    }

    @Test
    void aPdfYieldsItsTextAndMetadataTitle() throws IOException {
        byte[] pdf = pdf("Widget Report", "Quarterly widget sales grew by 12 percent.", "Europe led the growth.");

        ExtractedContent content = bytes(pdf, "application/pdf", "report.pdf");

        assertThat(content.type()).isEqualTo(DocumentType.PDF);
        assertThat(content.mediaType()).isEqualTo("application/pdf");
        assertThat(content.title()).isEqualTo("Widget Report");
        assertThat(content.text()).contains("Quarterly widget sales grew by 12 percent.", "Europe led the growth.");
    }

    @Test
    void aPdfWithoutTitleIsNamedByItsFirstLine() throws IOException {
        ExtractedContent content = bytes(pdf(null, "Minutes of the tenants meeting", "Heating fixed."), null, null);

        assertThat(content.title()).isEqualTo("Minutes of the tenants meeting");
    }

    @Test
    void aDocxYieldsItsHeadingsAsMarkdownAndItsTitle() throws IOException {
        ExtractedContent content = bytes(docx(), null, "roadmap.docx");

        assertThat(content.type()).isEqualTo(DocumentType.GOOGLE_DOC);
        assertThat(content.mediaType())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(content.title()).isEqualTo("Roadmap 2025");
        assertThat(content.text()).isEqualTo("# Goals\n\nShip the memory engine.\n\nKeep it open.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"notes.txt", "notes.md", "data.csv"})
    void aMisleadingNameDoesNotHideHtml(String filename) {
        ExtractedContent content = bytes(HTML, "text/plain", filename);

        assertThat(content.type()).isEqualTo(DocumentType.WEBPAGE);
        assertThat(content.text()).doesNotContain("<h1>", "tracking");
    }

    @Test
    void aMisleadingNameDoesNotHideAPdfOrADocx() throws IOException {
        ExtractedContent pdf = bytes(pdf("Hidden", "Really a PDF."), "text/plain", "notes.txt");
        ExtractedContent docx = bytes(docx(), "text/plain", "notes.txt");

        assertThat(pdf.type()).isEqualTo(DocumentType.PDF);
        assertThat(pdf.text()).contains("Really a PDF.");
        assertThat(docx.type()).isEqualTo(DocumentType.GOOGLE_DOC);
    }

    @Test
    void aPasswordProtectedPdfFailsPermanentlyAsEncrypted() throws IOException {
        byte[] encrypted;
        try (PDDocument document = pdfDocument(null, "Secret salary table.")) {
            StandardProtectionPolicy policy =
                    new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            encrypted = save(document);
        }

        ExtractionException e = failure(new ContentSource.Binary(encrypted, null, "salaries.pdf"));

        assertThat(e.kind()).isEqualTo(Kind.ENCRYPTED);
        assertThat(e.getMessage()).isEqualTo("the document is password-protected");
    }

    @Test
    void aDamagedPdfFailsPermanentlyAsCorrupt() {
        byte[] damaged = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R".getBytes(StandardCharsets.US_ASCII);

        ExtractionException e = failure(new ContentSource.Binary(damaged, null, "broken.pdf"));

        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(e.getMessage()).isEqualTo("the PDF could not be read; it may be damaged or incomplete");
    }

    @Test
    void documentsWithoutTextFail() throws IOException {
        ExtractionException emptyFile = failure(new ContentSource.Binary(new byte[0], null, "empty.txt"));
        ExtractionException blankText = failure(new ContentSource.Text(" \n\t \u200b\n"));
        ExtractionException scriptOnly = failure(new ContentSource.Binary(
                "<html><head><script>var a = 1;</script></head><body></body></html>".getBytes(StandardCharsets.UTF_8),
                null,
                null));
        ExtractionException blankPdf = failure(new ContentSource.Binary(pdf(null), null, null));

        assertThat(emptyFile.kind()).isEqualTo(Kind.EMPTY);
        assertThat(blankText.kind()).isEqualTo(Kind.EMPTY);
        assertThat(blankText.getMessage()).isEqualTo("no text could be extracted");
        assertThat(scriptOnly.kind()).isEqualTo(Kind.EMPTY);
        assertThat(blankPdf.kind()).isEqualTo(Kind.EMPTY);
    }

    @Test
    void unsupportedFormatsAreRefusedByTheirDetectedType() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

        ExtractionException image = failure(new ContentSource.Binary(png, "text/plain", "photo.txt"));
        ExtractionException archive = failure(new ContentSource.Binary(zip, null, "bundle.zip"));

        assertThat(image.kind()).isEqualTo(Kind.UNSUPPORTED_TYPE);
        assertThat(image.getMessage()).isEqualTo("files of type image/png are not supported");
        assertThat(archive.kind()).isEqualTo(Kind.UNSUPPORTED_TYPE);
    }

    @Test
    void longDocumentsAreCutAtTheCharacterLimit() {
        try (ContentExtractor small = new ContentExtractor(new ExtractionConfig(100, Duration.ofSeconds(30)))) {
            String longText = "word ".repeat(1000);
            String longHtml = "<html><body>" + "<p>para graph</p>".repeat(500) + "</body></html>";

            ExtractedContent text = small.extract(new ContentSource.Text(longText));
            ExtractedContent html = small.extract(new ContentSource.Text(longHtml));

            assertThat(text.truncated()).isTrue();
            assertThat(text.text()).hasSizeLessThanOrEqualTo(100).startsWith("word word");
            assertThat(html.truncated()).isTrue();
            assertThat(html.text()).hasSizeLessThanOrEqualTo(100).startsWith("para graph");
        }
    }

    @Test
    void parsingThatOutlastsTheTimeLimitFails() throws IOException {
        byte[] pdf = pdf("Slow", "Some text.");
        try (ContentExtractor impatient = new ContentExtractor(new ExtractionConfig(1000, Duration.ofNanos(1)))) {
            Throwable thrown = catchThrowable(() -> impatient.extract(new ContentSource.Binary(pdf, null, null)));

            assertThat(thrown).isInstanceOfSatisfying(ExtractionException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(e.getMessage()).startsWith("extracting text took longer than");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com/article",
                "http://example.com",
                "  https://example.com/a?b=c#d \n",
                "HTTPS://EXAMPLE.COM/"
            })
    void singleHttpUrlsAreRecognised(String content) {
        assertThat(ContentSource.isUrl(content)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "see https://example.com/article",
                "https://example.com/a https://example.com/b",
                "https://example.com/a\nmore text",
                "ftp://example.com/file",
                "example.com",
                "https://",
                "just text",
                ""
            })
    void textThatIsNotASingleHttpUrlIsNotAUrl(String content) {
        assertThat(ContentSource.isUrl(content)).isFalse();
    }

    @Test
    void fetchedBytesAreNamedAfterTheLastPathSegment() {
        ContentSource.Binary pdf = ContentSource.Binary.fetched(
                new byte[1], "application/pdf", URI.create("https://x.test/docs/My%20Report.pdf?v=2"));
        ContentSource.Binary directory =
                ContentSource.Binary.fetched(new byte[1], null, URI.create("https://x.test/docs/"));

        assertThat(pdf.filename()).isEqualTo("My Report.pdf");
        assertThat(pdf.declaredContentType()).isEqualTo("application/pdf");
        assertThat(directory.filename()).isNull();
    }

    private static ExtractionException failure(ContentSource source) {
        Throwable thrown = catchThrowable(() -> extractor.extract(source));
        assertThat(thrown).isInstanceOf(ExtractionException.class);
        return (ExtractionException) thrown;
    }

    private static byte[] pdf(String title, String... lines) throws IOException {
        try (PDDocument document = pdfDocument(title, lines)) {
            return save(document);
        }
    }

    private static PDDocument pdfDocument(String title, String... lines) throws IOException {
        PDDocument document = new PDDocument();
        PDPage page = new PDPage();
        document.addPage(page);
        if (lines.length > 0) {
            try (PDPageContentStream stream = new PDPageContentStream(document, page)) {
                stream.beginText();
                stream.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                stream.newLineAtOffset(72, 700);
                for (String line : lines) {
                    stream.showText(line);
                    stream.newLineAtOffset(0, -40);
                }
                stream.endText();
            }
        }
        if (title != null) {
            document.getDocumentInformation().setTitle(title);
        }
        return document;
    }

    private static byte[] save(PDDocument document) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.save(out);
        return out.toByteArray();
    }

    /** A DOCX with a title property, a "Heading 1" paragraph and two body paragraphs. */
    private static byte[] docx() throws IOException {
        try (XWPFDocument document = new XWPFDocument()) {
            document.getProperties().getCoreProperties().setTitle("Roadmap 2025");
            XWPFStyles styles = document.createStyles();
            CTStyle heading = CTStyle.Factory.newInstance();
            heading.setStyleId("Heading1");
            heading.setType(STStyleType.PARAGRAPH);
            CTString name = CTString.Factory.newInstance();
            name.setVal("heading 1");
            heading.setName(name);
            styles.addStyle(new XWPFStyle(heading));
            var title = document.createParagraph();
            title.setStyle("Heading1");
            title.createRun().setText("Goals");
            document.createParagraph().createRun().setText("Ship the memory engine.");
            document.createParagraph().createRun().setText("Keep it open.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.write(out);
            return out.toByteArray();
        }
    }
}
