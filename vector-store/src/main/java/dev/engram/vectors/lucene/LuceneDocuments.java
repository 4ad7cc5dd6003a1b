package dev.engram.vectors.lucene;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.engram.core.filters.FilterParser;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.vectors.CaseFolding;
import dev.engram.vectors.EnglishTerms;
import dev.engram.vectors.IndexedValue;
import dev.engram.vectors.PointKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;

/**
 * Converts points to Lucene documents (see {@link LuceneFields} for the layout) and stored documents back to points.
 *
 * <p>Keyword terms are limited to {@value IndexWriter#MAX_TERM_LENGTH} UTF-8 bytes. A longer scalar or list element
 * is not indexed for equality (no filter value can be that long: the parser caps values at
 * {@value FilterParser#MAX_TEXT} characters), and a longer string is indexed for {@code string_contains} as
 * overlapping windows, so every substring of up to {@value FilterParser#MAX_TEXT} characters lies inside one window.
 */
final class LuceneDocuments {

    /** Similarity of the vector field: the dot product of unit vectors, i.e. cosine. */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    /** Characters per window of a long string; at most 3 UTF-8 bytes each, so a window always fits in a term. */
    static final int WINDOW_CHARS = 8192;

    private static final ObjectMapper JSON =
            new ObjectMapper().registerModule(new JavaTimeModule()).enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<Map<String, Map<String, Object>>> PAYLOAD_TYPE = new TypeReference<>() {};

    private LuceneDocuments() {}

    /**
     * The index-time analyzer: {@link dev.engram.vectors.EnglishTerms#analyzer()} for {@link LuceneFields#TEXT_ENGLISH}
     * and {@link StandardAnalyzer} for {@link LuceneFields#TEXT} (every other field is a keyword or a point).
     */
    static Analyzer analyzer() {
        return new PerFieldAnalyzerWrapper(
                new StandardAnalyzer(), Map.of(LuceneFields.TEXT_ENGLISH, EnglishTerms.analyzer()));
    }

    /** The term identifying a point of an organisation (for updates and deletes). */
    static Term keyTerm(String orgId, String id) {
        return new Term(LuceneFields.KEY, PointKeys.of(orgId, id));
    }

    /** The document for {@code point}, indexing {@code unitVector} (the point's vector, normalised). */
    static Document toDocument(VectorPoint point, float[] unitVector) {
        Document doc = new Document();
        doc.add(new StringField(LuceneFields.KEY, PointKeys.of(point.orgId(), point.id()), Field.Store.NO));
        doc.add(new StringField(LuceneFields.ID, point.id(), Field.Store.YES));
        doc.add(new StringField(LuceneFields.ORG, point.orgId(), Field.Store.YES));
        doc.add(new StringField(LuceneFields.TAG, point.containerTag(), Field.Store.YES));
        doc.add(new StringField(LuceneFields.DOC, point.documentId(), Field.Store.YES));
        doc.add(new TextField(LuceneFields.TEXT, point.text(), Field.Store.YES));
        doc.add(new TextField(LuceneFields.TEXT_ENGLISH, point.text(), Field.Store.NO));
        doc.add(new KnnFloatVectorField(LuceneFields.VECTOR, unitVector, SIMILARITY));
        doc.add(new StoredField(LuceneFields.PAYLOAD, payload(point)));
        for (IndexedValue value : IndexedValue.of(point.metadata())) {
            addMetadata(doc, value);
        }
        point.attributes().forEach((key, value) -> addAttribute(doc, key, value));
        return doc;
    }

    /** The point stored in {@code doc}; its vector is empty (hits do not carry vectors). */
    static VectorPoint toPoint(Document doc) {
        Map<String, Map<String, Object>> payload;
        try {
            payload = JSON.readValue(doc.getBinaryValue(LuceneFields.PAYLOAD).utf8ToString(), PAYLOAD_TYPE);
        } catch (IOException e) {
            throw new IllegalStateException("stored payload of a point is not valid JSON", e);
        }
        return new VectorPoint(
                doc.get(LuceneFields.ID),
                doc.get(LuceneFields.ORG),
                doc.get(LuceneFields.TAG),
                doc.get(LuceneFields.DOC),
                new float[0],
                doc.get(LuceneFields.TEXT),
                payload.get("metadata"),
                payload.get("attributes"));
    }

    private static void addMetadata(Document doc, IndexedValue value) {
        String key = value.key();
        if (value.scalar() != null && fitsInTerm(value.scalar())) {
            doc.add(new StringField(LuceneFields.scalar(key), value.scalar(), Field.Store.NO));
            addIfFits(doc, LuceneFields.scalarFolded(key), CaseFolding.fold(value.scalar()));
        }
        for (String element : value.elements()) {
            if (fitsInTerm(element)) {
                doc.add(new StringField(LuceneFields.element(key), element, Field.Store.NO));
                addIfFits(doc, LuceneFields.elementFolded(key), CaseFolding.fold(element));
            }
        }
        if (value.text() != null) {
            for (String window : windows(value.text())) {
                doc.add(new StringField(LuceneFields.text(key), window, Field.Store.NO));
            }
            for (String window : windows(CaseFolding.lower(value.text()))) {
                doc.add(new StringField(LuceneFields.textLower(key), window, Field.Store.NO));
            }
        }
        if (value.number() != null) {
            doc.add(new DoublePoint(LuceneFields.number(key), value.number()));
        }
    }

    /**
     * Indexes what attribute conditions test: the key's presence, a boolean's value and a number's value. Keys too
     * long for a term are not indexed (no caller filters on such a key).
     */
    private static void addAttribute(Document doc, String key, Object value) {
        if (!fitsInTerm(key)) {
            return;
        }
        doc.add(new StringField(LuceneFields.ATTRIBUTE_KEYS, key, Field.Store.NO));
        if (value instanceof Boolean b) {
            doc.add(new StringField(LuceneFields.attributeBoolean(key), b.toString(), Field.Store.NO));
        } else if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
            doc.add(new DoublePoint(LuceneFields.attributeNumber(key), n.doubleValue() + 0.0));
        }
    }

    private static void addIfFits(Document doc, String field, String term) {
        if (fitsInTerm(term)) {
            doc.add(new StringField(field, term, Field.Store.NO));
        }
    }

    private static boolean fitsInTerm(String text) {
        return UnicodeUtil.calcUTF16toUTF8Length(text, 0, text.length()) <= IndexWriter.MAX_TERM_LENGTH;
    }

    /**
     * {@code text} itself if it fits in a term, else windows of {@link #WINDOW_CHARS} characters overlapping by
     * {@value FilterParser#MAX_TEXT} characters (never splitting a surrogate pair).
     */
    static List<String> windows(String text) {
        if (fitsInTerm(text)) {
            return List.of(text);
        }
        List<String> windows = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = Math.min(text.length(), start + WINDOW_CHARS);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            windows.add(text.substring(start, end));
            if (end == text.length()) {
                return windows;
            }
            int next = end - FilterParser.MAX_TEXT;
            if (Character.isLowSurrogate(text.charAt(next))) {
                next--;
            }
            start = next;
        }
    }

    private static BytesRef payload(VectorPoint point) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("metadata", point.metadata());
        payload.put("attributes", point.attributes());
        try {
            return new BytesRef(JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "metadata or attributes of point " + point.id() + " cannot be stored as JSON", e);
        }
    }
}
