package dev.engram.writer.extraction;

/**
 * The Supermemory document {@code type} an extracted document is reported as. Supermemory's enum (SDK
 * {@code supermemory@4.25.4}, {@code documents.ts}) has no values for uploaded Office files, Markdown, CSV or JSON, so
 * these map to the nearest kind:
 *
 * <table>
 *   <caption>Detected format to document type</caption>
 *   <tr><th>detected format</th><th>type</th></tr>
 *   <tr><td>plain text, Markdown, JSON, XML, e-mail, other text</td><td>{@code text}</td></tr>
 *   <tr><td>HTML / XHTML (fetched or uploaded)</td><td>{@code webpage}</td></tr>
 *   <tr><td>PDF</td><td>{@code pdf}</td></tr>
 *   <tr><td>word processing: DOCX, DOC, ODT, RTF, EPUB</td><td>{@code google_doc}</td></tr>
 *   <tr><td>spreadsheets: XLSX, XLS, ODS, CSV, TSV</td><td>{@code google_sheet}</td></tr>
 *   <tr><td>presentations: PPTX, PPT, ODP</td><td>{@code google_slide}</td></tr>
 * </table>
 */
public enum DocumentType {
    TEXT("text"),
    PDF("pdf"),
    WEBPAGE("webpage"),
    GOOGLE_DOC("google_doc"),
    GOOGLE_SHEET("google_sheet"),
    GOOGLE_SLIDE("google_slide");

    private final String wireValue;

    DocumentType(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value of the document's {@code type} field on the API. */
    public String wireValue() {
        return wireValue;
    }
}
