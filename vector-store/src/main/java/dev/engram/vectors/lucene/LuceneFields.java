package dev.engram.vectors.lucene;

/**
 * Field names of the Lucene layout. Fixed fields have plain names; each metadata key {@code k} adds fields named
 * {@code <prefix>:k}, one per kind of test (see {@link dev.engram.vectors.IndexedValue}), and each boolean or numeric
 * attribute {@code a} a field {@code <prefix>:a} for {@link dev.engram.core.vectors.AttributeCondition}s. Fixed
 * names contain no {@code ':'} and no prefix is a prefix of another, so no key can collide with another field.
 */
final class LuceneFields {

    /** Keyword, not stored: {@link dev.engram.vectors.PointKeys} of (org, id); the term updates and deletes use. */
    static final String KEY = "_key";
    /** Keyword, stored: the point id. */
    static final String ID = "id";
    /** Keyword, stored: the organisation. */
    static final String ORG = "org";
    /** Keyword, stored: the container tag. */
    static final String TAG = "tag";
    /** Keyword, stored: the document id. */
    static final String DOC = "doc";
    /** Analysed (StandardAnalyzer), stored: the text, as returned with hits. */
    static final String TEXT = "text";
    /**
     * Analysed with {@link dev.engram.vectors.EnglishTerms} (stop words, stemming), not stored: the text, for BM25
     * search. Absent from points written before layout 3.
     */
    static final String TEXT_ENGLISH = "text_en";
    /** HNSW vector, dot product over unit vectors (= cosine). */
    static final String VECTOR = "vector";
    /** Stored only: metadata and attributes as JSON. */
    static final String PAYLOAD = "_payload";
    /** Keyword, multi-valued, not stored: the names of the point's attributes (for "absent" tests). */
    static final String ATTRIBUTE_KEYS = "_attr_keys";

    private LuceneFields() {}

    /** Keyword: canonical text of a scalar value ({@code metadata} conditions). */
    static String scalar(String key) {
        return "eq:" + key;
    }

    /** Keyword: case-folded canonical text of a scalar value ({@code metadata} with {@code ignoreCase}). */
    static String scalarFolded(String key) {
        return "eqi:" + key;
    }

    /** Keyword, multi-valued: canonical texts of list elements ({@code array_contains}). */
    static String element(String key) {
        return "arr:" + key;
    }

    /** Keyword, multi-valued: case-folded canonical texts of list elements ({@code array_contains}, ignoreCase). */
    static String elementFolded(String key) {
        return "arri:" + key;
    }

    /** Keyword: a string value, in overlapping windows if very long ({@code string_contains}). */
    static String text(String key) {
        return "str:" + key;
    }

    /** Keyword: a string value lower-cased ({@code string_contains} with {@code ignoreCase}). */
    static String textLower(String key) {
        return "stri:" + key;
    }

    /** Double point: a numeric value ({@code numeric}). */
    static String number(String key) {
        return "num:" + key;
    }

    /** Keyword {@code "true"} or {@code "false"}: a boolean attribute ({@code AttributeCondition.Equals}). */
    static String attributeBoolean(String key) {
        return "abool:" + key;
    }

    /** Double point: a numeric attribute other than NaN ({@code AttributeCondition.NotExpired}). */
    static String attributeNumber(String key) {
        return "anum:" + key;
    }
}
