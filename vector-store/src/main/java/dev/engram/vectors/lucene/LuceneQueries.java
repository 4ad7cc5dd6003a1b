package dev.engram.vectors.lucene;

import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.VectorQuery;
import java.util.List;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Builds the queries of a {@link VectorQuery}: the scope (organisation, tags, documents, filter, attribute conditions)
 * and the kNN search.
 */
final class LuceneQueries {

    private LuceneQueries() {}

    /** Documents of the query's organisation, tags and documents that its filter accepts. */
    static Query scope(VectorQuery query) {
        BooleanQuery.Builder scope =
                new BooleanQuery.Builder().add(new TermQuery(new Term(LuceneFields.ORG, query.orgId())), Occur.FILTER);
        if (!query.containerTags().isEmpty()) {
            scope.add(anyOf(LuceneFields.TAG, query.containerTags()), Occur.FILTER);
        }
        if (!query.documentIds().isEmpty()) {
            scope.add(anyOf(LuceneFields.DOC, query.documentIds()), Occur.FILTER);
        }
        if (query.filter() != null) {
            scope.add(LuceneFilterTranslator.translate(query.filter()), Occur.FILTER);
        }
        for (AttributeCondition condition : query.conditions()) {
            scope.add(condition(condition), Occur.FILTER);
        }
        return scope.build();
    }

    /** Documents whose attributes meet {@code condition}, with the semantics of {@link AttributeCondition#matches}. */
    static Query condition(AttributeCondition condition) {
        return switch (condition) {
            case AttributeCondition.Equals equals ->
                new TermQuery(new Term(LuceneFields.attributeBoolean(equals.key()), Boolean.toString(equals.value())));
            case AttributeCondition.NotExpired notExpired ->
                new BooleanQuery.Builder()
                        .add(absent(notExpired.key()), Occur.SHOULD)
                        .add(
                                DoublePoint.newRangeQuery(
                                        LuceneFields.attributeNumber(notExpired.key()),
                                        Math.nextUp((double) notExpired.nowEpochMs()),
                                        Double.POSITIVE_INFINITY),
                                Occur.SHOULD)
                        .setMinimumNumberShouldMatch(1)
                        .build();
        };
    }

    /** Documents without the attribute {@code key}. */
    private static Query absent(String key) {
        return new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(new TermQuery(new Term(LuceneFields.ATTRIBUTE_KEYS, key)), Occur.MUST_NOT)
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
