package dev.engram.vectors.qdrant;

import dev.engram.core.vectors.VectorKind;
import dev.engram.vectors.EnglishTerms;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorInputFactory;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * BM25 in Qdrant, as a named sparse vector {@value #VECTOR} on every point. Qdrant computes the IDF part server-side
 * ({@link Modifier#Idf}, over the whole collection); the client supplies the rest:
 *
 * <ul>
 *   <li>terms: {@link EnglishTerms} (the same analysis as the Lucene adapter);
 *   <li>dimension of a term: {@link #termId}, a 31-bit murmur3 hash of its UTF-8 bytes, stable across processes and
 *       versions; two terms that collide share a dimension (rare: about one pair among 65,000 distinct terms);
 *   <li>document weight of a term: BM25's term-frequency saturation {@code tf*(k1+1)/(tf + k1*(1-b+b*len/avgLen))}
 *       with {@value #K1} and {@value #B}, {@code len} the document's number of terms and {@code avgLen} a fixed
 *       {@link #averageLength(VectorKind) per-kind constant} (Qdrant does not maintain an average length, and a fixed
 *       one keeps a stored weight independent of what else is in the collection);
 *   <li>query weight: 1 per distinct query term.
 * </ul>
 *
 * The score of a hit is then {@code sum over shared terms of idf(term) * weight(term)}: BM25 with a fixed average
 * length.
 */
final class QdrantLexical {

    /** Name of the sparse vector holding a point's term weights. */
    static final String VECTOR = "text";
    /** BM25 term-frequency saturation. */
    static final double K1 = 1.2;
    /** BM25 length normalisation. */
    static final double B = 0.75;

    /** Assumed average terms per chunk: chunks are up to 240 model tokens, about 120 terms once stop words go. */
    static final double CHUNK_AVERAGE_LENGTH = 120;
    /** Assumed average terms per memory: one short sentence. */
    static final double MEMORY_AVERAGE_LENGTH = 12;

    /**
     * Term ids and weights of one sparse vector, ordered by id.
     *
     * @param ids distinct non-negative term ids, ascending
     * @param weights the weight of each id
     */
    record Terms(List<Integer> ids, List<Float> weights) {

        Terms {
            ids = List.copyOf(ids);
            weights = List.copyOf(weights);
            if (ids.size() != weights.size()) {
                throw new IllegalArgumentException("one weight per term id");
            }
        }

        /** Whether there is no term at all. */
        boolean isEmpty() {
            return ids.isEmpty();
        }
    }

    private QdrantLexical() {}

    /** The sparse vector configuration of a collection: the {@value #VECTOR} vector with IDF computed by Qdrant. */
    static SparseVectorConfig config() {
        return SparseVectorConfig.newBuilder()
                .putMap(
                        VECTOR,
                        SparseVectorParams.newBuilder()
                                .setModifier(Modifier.Idf)
                                .build())
                .build();
    }

    /** The fixed average document length (in terms) assumed for the points of {@code kind}. */
    static double averageLength(VectorKind kind) {
        return switch (kind) {
            case CHUNKS -> CHUNK_AVERAGE_LENGTH;
            case MEMORIES -> MEMORY_AVERAGE_LENGTH;
        };
    }

    /** The sparse dimension of an analysed term: murmur3 (x86, 32 bits, seed 0) of its UTF-8 bytes, sign bit cleared. */
    static int termId(String term) {
        return StringHelper.murmurhash3_x86_32(new BytesRef(term), 0) & 0x7fff_ffff;
    }

    /** The BM25 document weight of a term occurring {@code tf} times in a document of {@code length} terms. */
    static double weight(int tf, int length, double averageLength) {
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / averageLength));
    }

    /** The document-side terms of {@code text}: one weight per distinct term id; empty if the text has no terms. */
    static Terms document(String text, double averageLength) {
        List<String> terms = EnglishTerms.of(text);
        Map<Integer, Integer> frequencies = new TreeMap<>();
        for (String term : terms) {
            frequencies.merge(termId(term), 1, Integer::sum);
        }
        List<Integer> ids = new ArrayList<>(frequencies.size());
        List<Float> weights = new ArrayList<>(frequencies.size());
        frequencies.forEach((id, tf) -> {
            ids.add(id);
            weights.add((float) weight(tf, terms.size(), averageLength));
        });
        return new Terms(ids, weights);
    }

    /** The query-side terms of {@code text}: weight 1 per distinct term id; empty if the text has no terms. */
    static Terms query(String text) {
        List<Integer> ids = EnglishTerms.ofQuery(text).stream()
                .map(QdrantLexical::termId)
                .distinct()
                .sorted()
                .toList();
        return new Terms(ids, ids.stream().map(id -> 1f).toList());
    }

    /** {@code terms} as a stored vector. */
    static Vector vector(Terms terms) {
        return VectorFactory.vector(terms.weights(), terms.ids());
    }

    /** {@code terms} as a query input. */
    static VectorInput input(Terms terms) {
        return VectorInputFactory.vectorInput(terms.weights(), terms.ids());
    }
}
