package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.authorized;
import static dev.engram.ingest.IngestApi.get;
import static dev.engram.ingest.IngestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.text.StorableText;
import dev.engram.ingest.DocumentTopic;
import dev.engram.ingest.IngestTestProfile;
import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v3/documents/file}: the content type comes from the bytes (the name may only refine a text type), the
 * file is kept for memory-writer, and the event names it.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentUploadTest {

    private static final String HTML =
            "<!DOCTYPE html>\n<html><head><title>Trip</title></head><body><p>We went to Lisbon.</p></body></html>\n";
    private static final String MARKDOWN = "# Trip notes\n\nWe went to **Lisbon** in May.\n\n- trams\n- tiles\n";
    private static final String TEXT = "We went to Lisbon in May and rode the trams.\n";
    private static final String JSON = "{\"city\": \"Lisbon\", \"month\": \"May\", \"sights\": [\"trams\", \"tiles\"]}";
    private static final String CSV = "city,month,rating\nLisbon,May,5\nPorto,June,4\n";

    static Stream<Arguments> supportedFiles() {
        return Stream.of(
                Arguments.of("page.html", bytes(HTML), "text/html"),
                Arguments.of("notes.md", bytes(MARKDOWN), "text/markdown"),
                Arguments.of("notes.txt", bytes(TEXT), "text/plain"),
                Arguments.of("trip.json", bytes(JSON), "application/json"),
                Arguments.of("trips.csv", bytes(CSV), "text/csv"),
                Arguments.of("report.pdf", minimalPdf("We went to Lisbon."), "application/pdf"),
                // The bytes decide: a PDF named .txt is a PDF, text named .pdf stays text.
                Arguments.of("disguised.txt", minimalPdf("Hidden PDF."), "application/pdf"),
                Arguments.of("misleading.pdf", bytes(TEXT), "text/plain"),
                // HTML markup is recognised whatever the name.
                Arguments.of("page.txt", bytes(HTML), "text/html"));
    }

    @ParameterizedTest(name = "{0} is stored as {2}")
    @MethodSource("supportedFiles")
    void uploadedFileIsStoredWithTheTypeDetectedFromItsBytesAndAnnouncedAsAFileUpsert(
            String filename, byte[] content, String expectedType) {
        String tag = unique("upload");

        String id = upload(filename, content)
                .multiPart("containerTag", tag)
                .multiPart("metadata", "{\"trip\": \"lisbon\", \"year\": 2024, \"tags\": [\"travel\"]}")
                .multiPart("filepath", "/trips/" + filename)
                .multiPart("taskType", "memory")
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .body("status", equalTo("queued"))
                .body("id", notNullValue())
                .extract()
                .path("id");

        JsonPath document = get(id);
        assertThat(document.getString("status")).isEqualTo("queued");
        assertThat(document.getString("source")).isEqualTo("file");
        assertThat(document.getString("content")).isNull();
        assertThat(document.getList("containerTags")).containsExactly(tag);
        assertThat(document.getString("filepath")).isEqualTo("/trips/" + filename);
        assertThat(document.getMap("metadata"))
                .isEqualTo(Map.of("trip", "lisbon", "year", 2024, "tags", List.of("travel")));
        Map<String, Object> file = storedFile(id);
        assertThat(file.get("content_type")).isEqualTo(expectedType);
        assertThat(file.get("filename")).isEqualTo(filename);
        assertThat(file.get("size_bytes")).isEqualTo((long) content.length);
        assertThat((byte[]) file.get("bytes")).isEqualTo(content);

        var records = DocumentTopic.awaitRecords(id, 1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(tag);
        DocumentEvent event = DocumentTopic.event(records.get(0));
        assertThat(event.operation()).isEqualTo(DocumentOperation.UPSERT);
        assertThat(event.revision()).isEqualTo(1);
        assertThat(event.source()).isEqualTo("file");
        assertThat(event.content()).isNull();
        assertThat(event.contentType()).isEqualTo(expectedType);
        assertThat(event.filename()).isEqualTo(filename);
        assertThat(event.filepath()).isEqualTo("/trips/" + filename);
        assertThat(event.metadata()).containsEntry("trip", "lisbon");
        assertThat(event.taskType()).isEqualTo("memory");
    }

    @Test
    void deprecatedContainerTagsFieldTakesAJsonArrayOrASingleTag() {
        String first = unique("upload_first");
        String single = unique("upload_single");

        String fromArray = upload("a.txt", bytes(TEXT))
                .multiPart("containerTags", "[\"" + first + "\", \"project_x\"]")
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        String fromSingle = upload("b.txt", bytes(TEXT))
                .multiPart("containerTags", single)
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        String untagged = upload("c.txt", bytes(TEXT))
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        assertThat(get(fromArray).getList("containerTags")).containsExactly(first);
        assertThat(get(fromSingle).getList("containerTags")).containsExactly(single);
        assertThat(get(untagged).getList("containerTags")).containsExactly("sm_project_default");
    }

    @Test
    void fieldsTheSdkSendsButEngramDoesNotUseAreIgnored() {
        upload("notes.md", bytes(MARKDOWN))
                .multiPart("fileType", "text")
                .multiPart("mimeType", "text/markdown")
                .multiPart("useAdvancedProcessing", "true")
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .body("status", equalTo("queued"));
    }

    @Test
    void metadataLargerThanAFormAttributeDefaultIsAccepted() {
        StringBuilder metadata = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            metadata.append(i == 0 ? "" : ",")
                    .append("\"k")
                    .append(i)
                    .append("\":\"")
                    .append("v".repeat(400))
                    .append('"');
        }
        metadata.append('}');

        String id = upload("notes.txt", bytes(TEXT))
                .multiPart("metadata", metadata.toString())
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        assertThat(get(id).getMap("metadata")).hasSize(20);
    }

    @Test
    void uploadWithAKnownCustomIdReplacesTheFileAsANewRevision() {
        String tag = unique("upload_custom");
        String customId = unique("upload-doc");

        String first = upload("v1.txt", bytes("first version\n"))
                .multiPart("containerTag", tag)
                .multiPart("customId", customId)
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        String second = upload("v2.md", bytes(MARKDOWN))
                .multiPart("containerTag", tag)
                .multiPart("customId", customId)
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        assertThat(second).isEqualTo(first);
        assertThat(TestDatabase.query("select filename from ingest.document_files where document_id = ?", first))
                .extracting(row -> row.get("filename"))
                .containsExactly("v2.md");
        List<DocumentEvent> events = DocumentTopic.awaitEvents(first, 2);
        assertThat(events).extracting(DocumentEvent::revision).containsExactly(1L, 2L);
        assertThat(events).extracting(DocumentEvent::filename).containsExactly("v1.txt", "v2.md");
        assertThat(events).extracting(DocumentEvent::contentType).containsExactly("text/plain", "text/markdown");
    }

    @Test
    void textAddedUnderTheCustomIdOfAnUploadDropsTheFile() {
        String tag = unique("upload_to_text");
        String customId = unique("upload-then-text");
        String id = upload("v1.txt", bytes("first version\n"))
                .multiPart("containerTag", tag)
                .multiPart("customId", customId)
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        authorized()
                .contentType(ContentType.JSON)
                .body(Map.of("content", "now plain text", "containerTag", tag, "customId", customId))
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .body("id", equalTo(id));

        assertThat(TestDatabase.query("select filename from ingest.document_files where document_id = ?", id))
                .isEmpty();
        assertThat(get(id).getString("content")).isEqualTo("now plain text");
    }

    static Stream<Arguments> rejectedUploads() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1};
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] noise = new byte[512];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) (i * 37 + 11);
        }
        return Stream.of(
                Arguments.of("PNG named .txt", "photo.txt", png, Map.of(), "file"),
                Arguments.of("ZIP archive", "archive.zip", zip, Map.of(), "file"),
                Arguments.of("binary noise named .txt", "notes.txt", noise, Map.of(), "file"),
                Arguments.of("binary noise named .pdf", "report.pdf", noise, Map.of(), "file"),
                Arguments.of("empty file", "empty.txt", new byte[0], Map.of(), "file"),
                Arguments.of(
                        "invalid containerTag",
                        "a.txt",
                        bytes(TEXT),
                        Map.of("containerTag", "bad tag!"),
                        "containerTag"),
                Arguments.of(
                        "containerTags neither JSON array nor tag",
                        "a.txt",
                        bytes(TEXT),
                        Map.of("containerTags", "[\"unclosed"),
                        "containerTags"),
                Arguments.of(
                        "containerTags array with a bad tag",
                        "a.txt",
                        bytes(TEXT),
                        Map.of("containerTags", "[\"ok\", \"bad tag!\"]"),
                        "containerTags[1]"),
                Arguments.of("metadata not JSON", "a.txt", bytes(TEXT), Map.of("metadata", "k=v"), "metadata"),
                Arguments.of("metadata a JSON array", "a.txt", bytes(TEXT), Map.of("metadata", "[1]"), "metadata"),
                Arguments.of(
                        "metadata nested",
                        "a.txt",
                        bytes(TEXT),
                        Map.of("metadata", "{\"a\": {\"b\": 1}}"),
                        "metadata.a"),
                Arguments.of(
                        "metadata with NUL in a value",
                        "a.txt",
                        bytes(TEXT),
                        Map.of("metadata", "{\"k\": \"a\\u0000b\"}"),
                        "metadata.k: " + StorableText.NUL),
                Arguments.of(
                        "containerTags array with NUL in a tag",
                        "a.txt",
                        bytes(TEXT),
                        Map.of("containerTags", "[\"ok\", \"a\\u0000\"]"),
                        "containerTags[1]: " + StorableText.NUL),
                Arguments.of("customId with a slash", "a.txt", bytes(TEXT), Map.of("customId", "a/b"), "customId"),
                Arguments.of("unknown taskType", "a.txt", bytes(TEXT), Map.of("taskType", "index"), "taskType"),
                Arguments.of("empty filepath", "a.txt", bytes(TEXT), Map.of("filepath", ""), "filepath"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedUploads")
    void rejectedUploadIs400NamingTheFieldAndStoresNothing(
            String name, String filename, byte[] content, Map<String, String> fields, String field) {
        TestDatabase.assertStoresNothing(() -> {
            RequestSpecification request = upload(filename, content);
            fields.forEach(request::multiPart);
            request.post("/v3/documents/file")
                    .then()
                    .statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("error", notNullValue())
                    .body("details", containsString(field));
        });
    }

    @Test
    void formWithoutAFilePartIs400() {
        TestDatabase.assertStoresNothing(() -> authorized()
                .multiPart("containerTag", "user_nofile")
                .post("/v3/documents/file")
                .then()
                .statusCode(400)
                .body("details", containsString("file")));
    }

    @Test
    void fileOverFiftyMegabytesIs400AndStoresNothing() throws Exception {
        byte[] big = new byte[50 * 1024 * 1024 + 1];
        Arrays.fill(big, (byte) 'a');
        // RestAssured takes half a minute to encode 50 MB of multipart; the JDK client sends it in a second.
        String boundary = "engram-" + unique("boundary");
        ByteArrayOutputStream body = new ByteArrayOutputStream(big.length + 512);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(big);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/v3/documents/file"))
                .header("Authorization", IngestTestProfile.BEARER)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();

        TestDatabase.assertStoresNothing(() -> {
            HttpResponse<String> response = send(request);
            assertThat(response.statusCode()).isEqualTo(400);
            JsonPath error = JsonPath.from(response.body());
            assertThat(error.getString("error")).isNotBlank();
            assertThat(error.getString("details")).contains("file", "52428800");
        });
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification upload(String filename, byte[] content) {
        return authorized().multiPart("file", filename, content, "application/octet-stream");
    }

    private static Map<String, Object> storedFile(String id) {
        var rows = TestDatabase.query(
                "select content_type, filename, size_bytes, bytes from ingest.document_files where document_id = ?",
                id);
        assertThat(rows).as("stored file of %s", id).hasSize(1);
        return rows.get(0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A small but well-formed one-page PDF showing {@code text}, with a correct cross-reference table. */
    static byte[] minimalPdf(String text) {
        String stream = "BT /F1 18 Tf 72 720 Td (" + text + ") Tj ET";
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                        + " /Resources << /Font << /F1 5 0 R >> >> >>",
                "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        pdf.writeBytes("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1));
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.size());
            pdf.writeBytes(((i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n").getBytes(StandardCharsets.US_ASCII));
        }
        int xref = pdf.size();
        StringBuilder tail = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        offsets.forEach(offset -> tail.append(String.format("%010d 00000 n \n", offset)));
        tail.append("trailer\n<< /Size ")
                .append(objects.size() + 1)
                .append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref)
                .append("\n%%EOF\n");
        pdf.writeBytes(tail.toString().getBytes(StandardCharsets.US_ASCII));
        return pdf.toByteArray();
    }
}
