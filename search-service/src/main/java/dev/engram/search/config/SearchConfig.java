package dev.engram.search.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of search-service ({@code search.*}). */
@ConfigMapping(prefix = "search")
public interface SearchConfig {

    /** The model that embeds queries: it must be the one memory-writer embeds with. */
    Embedding embedding();

    /** The vector index, opened read only. */
    Vectors vectors();

    /**
     * The OpenAI-compatible chat endpoint behind {@code rerank}, {@code rewriteQuery} and {@code aggregate}. Without
     * {@code base-url} and {@code model} those options are answered with a warning and change nothing.
     */
    Llm llm();

    interface Llm {
        /** Base URL of the endpoint, e.g. {@code https://api.openai.com/v1} ({@code /chat/completions} is appended). */
        Optional<String> baseUrl();

        /** Model name. */
        Optional<String> model();

        /** API key, sent as a bearer token when set. */
        Optional<String> apiKey();

        /**
         * The most one call may take, connecting included; a slower answer is dropped and the search answered without
         * it (with a warning).
         */
        @WithDefault("5s")
        Duration timeout();

        /** Candidates retrieved and sent to the reranker when {@code rerank} is asked (at least {@code limit}). */
        @WithDefault("20")
        int rerankCandidates();
    }

    interface Embedding {
        /** {@code onnx} (in-process MiniLM, the default) or {@code openai} (an OpenAI-compatible endpoint). */
        @WithDefault("onnx")
        String provider();

        /**
         * ONNX model: {@code quantized} (all-MiniLM-L6-v2 int8, the default), {@code full} (its float32 build) or
         * {@code bge-small-q} (bge-small-en-v1.5 int8: better retrieval, twice the cost per text). Vectors of one
         * model are not comparable with another's: change it only with an empty index.
         */
        @WithDefault("quantized")
        String variant();

        /** Base URL of the OpenAI-compatible endpoint, e.g. {@code https://api.openai.com/v1}. */
        Optional<String> baseUrl();

        /** Model name for the OpenAI-compatible endpoint. */
        Optional<String> model();

        /** API key for the OpenAI-compatible endpoint. */
        Optional<String> apiKey();

        /** Vector length of the OpenAI-compatible model. */
        @WithDefault("1536")
        int dimension();

        /** Query embeddings kept in memory (least recently used evicted first); 0 disables the cache. */
        @WithDefault("1024")
        int cacheSize();
    }

    interface Vectors {
        /** {@code lucene} (embedded, on local disk; the default) or {@code qdrant}. */
        @WithDefault("lucene")
        String backend();

        /** Where memory-writer's Lucene indexes live ({@code ENGRAM_DATA_DIR}/index); opened read only. */
        @WithDefault("${engram.data-dir:.engram-data}/index")
        String lucenePath();

        /** Qdrant gRPC host. */
        @WithDefault("localhost")
        String qdrantHost();

        /** Qdrant gRPC port. */
        @WithDefault("6334")
        int qdrantPort();

        /** Qdrant API key. */
        Optional<String> qdrantApiKey();

        /** Whether to use TLS towards Qdrant. */
        @WithDefault("false")
        boolean qdrantTls();
    }
}
