package dev.engram.vectors.qdrant;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorStore;
import dev.engram.vectors.contract.VectorStoreContract;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite against a real Qdrant, run only when {@code QDRANT_URL} names its gRPC endpoint (e.g.
 * {@code http://localhost:6334}; {@code QDRANT_API_KEY} if it needs one). Each test uses its own collections and
 * drops them afterwards. Without {@code QDRANT_URL} every test is reported as skipped, with the reason.
 */
class QdrantVectorStoreTest extends VectorStoreContract {

    private static final String SKIPPED = "QDRANT_URL not set: Qdrant contract run skipped";

    @BeforeAll
    static void sayWhyItIsSkipped() {
        if (qdrantUrl() == null) {
            Logger.getLogger(QdrantVectorStoreTest.class.getName()).warning(SKIPPED);
        }
    }

    /** Skips each test (so that each is reported as skipped, with the reason) unless Qdrant is configured. */
    @Override
    protected VectorStore createStore() {
        assumeTrue(qdrantUrl() != null, SKIPPED);
        QdrantConfig config = QdrantConfig.fromUrl(qdrantUrl())
                .withApiKey(System.getenv("QDRANT_API_KEY"))
                .withCollectionPrefix(
                        "engram_test_" + UUID.randomUUID().toString().replace("-", "") + "_");
        return QdrantVectorStore.connect(config);
    }

    private static String qdrantUrl() {
        String url = System.getenv("QDRANT_URL");
        return url == null || url.isBlank() ? null : url;
    }

    @Override
    protected void destroyStore(VectorStore used) {
        QdrantVectorStore qdrant = (QdrantVectorStore) used;
        try {
            for (VectorKind kind : VectorKind.values()) {
                qdrant.deleteCollection(kind);
            }
        } finally {
            qdrant.close();
        }
    }
}
