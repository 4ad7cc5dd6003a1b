package dev.engram.vectors.lucene;

import dev.engram.core.filters.Filter;
import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorQuery;
import java.util.List;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Builds the queries of a {@link VectorQuery} and a {@link TextQuery}: the scope (organisation, tags, documents,
 * filter, attribute conditions), the kNN search and the BM25 search.
 */
final class LuceneQueries {

    private LuceneQueries() {}

    /** Documents of the query's organisation, tags and documents that its filter and conditions accept. */
    static Query scope(VectorQuery query) {
        return scope(query.orgId(), query.containerTags(), query.documentIds(), query.filter(), query.conditions());
    }

    /** Documents of the query's organisation, tags and documents that its filter and conditions accept. */
    static Query scope(TextQuery query) {
        return scope(query.orgId(), query.containerTags(), query.documentIds(), query.filter(), query.conditions());
    }

    private static Query scope(
            String orgId,
            List<String> containerTags,
            List<String> documentIds,
            Filter filter,
            List<AttributeCondition> conditions) {
        BooleanQuery.Builder scope =
                new BooleanQuery.Builder().add(new TermQuery(new Term(LuceneFields.ORG, orgId)), Occur.FILTER);
        if (!containerTags.isEmpty()) {
            scope.add(anyOf(LuceneFields.TAG, containerTags), Occur.FILTER);
        }
        if (!documentIds.isEmpty()) {
            scope.add(anyOf(LuceneFields.DOC, documentIds), Occur.FILTER);
        }
        if (filter != null) {
            scope.add(LuceneFilterTranslator.translate(filter), Occur.FILTER);
        }
        for (AttributeCondition condition : conditions) {
            switch (condition) {
                case AttributeCondition.Equals equals ->
                    scope.add(
                            new TermQuery(new Term(
                                    LuceneFields.attributeBoolean(equals.key()), Boolean.toString(equals.value()))),
                            Occur.FILTER);
                case AttributeCondition.NotExpired notExpired -> scope.add(expired(notExpired), Occur.MUST_NOT);
            }
        }
        return scope.build();
    }

    /**
     * The documents {@code condition} rejects: those with the attribute whose value is not a number after its instant.
     * Scopes exclude them ({@code MUST_NOT}) rather than require the complement (every document without the attribute
     * or with a later value), which had to start from all documents of the index; this side only visits the documents
     * that have the attribute at all, usually few.
     */
    static Query expired(AttributeCondition.NotExpired condition) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(LuceneFields.ATTRIBUTE_KEYS, condition.key())), Occur.FILTER)
                .add(
                        DoublePoint.newRangeQuery(
                                LuceneFields.attributeNumber(condition.key()),
                                Math.nextUp((double) condition.nowEpochMs()),
                                Double.POSITIVE_INFINITY),
                        Occur.MUST_NOT)
                .build();
    }

    /**
     * The {@code limit} nearest documents within the scope. The scope is a pre-filter of the HNSW search (Lucene
     * switches to an exact scan when few documents pass it), so {@code limit} hits come back whenever that many
     * documents are in scope.
     */
    static Query nearest(VectorQuery query, float[] unitVector) {
        return new KnnFloatVectorQuery(LuceneFields.VECTOR, unitVector, query.limit(), scope(query));
    }

    /**
     * Documents within the query's scope containing any of {@code terms} (analysed with
     * {@link dev.engram.vectors.EnglishTerms}), scored by BM25 (Lucene's default similarity): the sum over the matched
     * terms, each clause once however often the term occurs in the query. The scope only filters, so it adds nothing
     * to the score; and it is a clause of the same query, so the top {@code limit} are taken among in-scope
     * documents only.
     *
     * @param terms the query's distinct terms; not empty
     */
    static Query lexical(TextQuery query, List<String> terms) {
        BooleanQuery.Builder anyTerm = new BooleanQuery.Builder();
        for (String term : terms) {
            anyTerm.add(new TermQuery(new Term(LuceneFields.TEXT_ENGLISH, term)), Occur.SHOULD);
        }
        return new BooleanQuery.Builder()
                .add(anyTerm.build(), Occur.MUST)
                .add(scope(query), Occur.FILTER)
                .build();
    }

    /** Every document of one organisation. */
    static Query organisation(String orgId) {
        return new TermQuery(new Term(LuceneFields.ORG, orgId));
    }

    /** Every document of one document of one organisation. */
    static Query document(String orgId, String documentId) {
        return new BooleanQuery.Builder()
                .add(organisation(orgId), Occur.FILTER)
                .add(new TermQuery(new Term(LuceneFields.DOC, documentId)), Occur.FILTER)
                .build();
    }

    private static Query anyOf(String field, List<String> values) {
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }
}
