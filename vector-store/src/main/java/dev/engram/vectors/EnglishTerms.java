package dev.engram.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The lexical analysis both adapters share, so that a text yields the same terms in either store: Lucene's
 * {@link EnglishAnalyzer} (Unicode word segmentation, possessive removal, lower-casing, English stop words, Porter
 * stemming), so {@code "Running"}, {@code "runs"} and {@code "run"} are one term and {@code "the"} none.
 *
 * <p>User text is only ever tokenised here, never parsed as query syntax.
 */
public final class EnglishTerms {

    /**
     * Most distinct terms a query keeps (the first ones of its text): a bound on the work of one search, and below
     * Lucene's limit of 1024 clauses per query.
     */
    public static final int MAX_QUERY_TERMS = 256;

    private static final Analyzer ANALYZER = new EnglishAnalyzer();

    private EnglishTerms() {}

    /** The analyzer itself (thread-safe), for indexing a field with exactly this analysis. */
    public static Analyzer analyzer() {
        return ANALYZER;
    }

    /** Every term of {@code text} in order, repeats included (the term frequencies of a document). */
    public static List<String> of(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = ANALYZER.tokenStream("", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing in-memory text cannot fail", e);
        }
        return terms;
    }

    /**
     * The distinct terms of a query text in order of first occurrence, at most {@link #MAX_QUERY_TERMS}; empty if the
     * text has only stop words or punctuation.
     */
    public static List<String> ofQuery(String text) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String term : of(text)) {
            if (distinct.size() == MAX_QUERY_TERMS) {
                break;
            }
            distinct.add(term);
        }
        return List.copyOf(distinct);
    }
}
