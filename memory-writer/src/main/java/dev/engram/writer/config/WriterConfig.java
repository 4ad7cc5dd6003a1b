package dev.engram.writer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** memory-writer's settings. */
@ConfigMapping(prefix = "writer")
public interface WriterConfig {

    /** Reading the document topic. */
    Documents documents();

    interface Documents {
        /** The topic of document events ({@code engram.documents.v1}). */
        String topic();

        /** The consumer group: one per service, the topic's partitions shared among its replicas. */
        String group();

        /**
         * Most document events taken in one poll and processed as one batch. A single document is still taken as soon
         * as it arrives (a poll returns what is there). At 128 the ingest benchmark's ratio was 0.74-0.80; at 512,
         * 0.75-0.84 (README, tenth session).
         */
        @WithDefault("512")
        int batchSize();

        /**
         * Most chunk texts embedded and indexed as one group: a batch's documents are cut, in order and never one
         * document apart, into groups of at most this many chunks (a document with more is a group of its own), each
         * embedded in one call, indexed in one chunk transaction and one index commit, and reported {@code done} as
         * soon as it is, while the next group is embedded. So a poll of a few hundred long documents finishes document
         * by document instead of all at once after a minute, and indexing overlaps embedding within a batch too. 1024
         * is what the embedding model needs per call to run at its best (the ingest benchmark's baseline).
         */
        @WithDefault("1024")
        int textsPerGroup();
    }

    /** Chunking. */
    Chunking chunking();

    /** Embeddings. */
    Embedding embedding();

    /** The vector index. */
    Vectors vectors();

    /** Retries of retriable failures. */
    Retry retry();

    /** Fetching URL content. */
    Fetch fetch();

    /** Memory extraction from documents and conversations. */
    Extraction extraction();

    interface Extraction {
        /** Whether documents and conversations are turned into memories once their chunks are indexed. */
        @WithDefault("true")
        boolean enabled();

        /**
         * {@code auto} (the LLM when {@code llm.base-url} and {@code llm.model} are set, else offline), {@code llm} or
         * {@code offline} (deterministic, no model).
         */
        @WithDefault("auto")
        String extractor();

        /** The OpenAI-compatible chat endpoint of the LLM extractor. */
        Llm llm();

        /** Turns (or chunks) handed to the extractor at once. */
        @WithDefault("8")
        int turnsPerCall();

        /** Similar existing memories looked up per turn and shown to the extractor. */
        @WithDefault("5")
        int knownPerTurn();

        /** Most existing memories shown to the extractor in one call. */
        @WithDefault("40")
        int maxKnown();

        /**
         * Documents first: while the document pipeline has been busy within this time, the worker waits, so chunks
         * become searchable as fast as the machine allows and memories follow when there is room; {@code 0s} never
         * waits.
         */
        @WithDefault("1s")
        Duration yieldToDocuments();

        /**
         * The longest the worker waits for the document pipeline in a row before it runs a claim anyway (a steady
         * stream of conversations would otherwise keep memories waiting for minutes).
         */
        @WithDefault("5s")
        Duration maxYield();

        /** Pause of an idle worker before it looks for jobs again (a new job wakes it at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** A job left running this long (its worker died) is taken up again. */
        @WithDefault("10m")
        Duration lease();

        /** Tries of a job that fails in a retriable way (e.g. the LLM is down) before it fails for good. */
        @WithDefault("5")
        int maxAttempts();

        /** Pause before the first retry of a job (doubling after each). */
        @WithDefault("15s")
        Duration retryBackoff();

        interface Llm {
            /** Base URL, e.g. {@code https://api.openai.com/v1}; unset means no LLM. */
            Optional<String> baseUrl();

            /** Chat model name. */
            Optional<String> model();

            /** API key, sent as a bearer token when set. */
            Optional<String> apiKey();

            /** Time limit of one call. */
            @WithDefault("60s")
            Duration timeout();
        }
    }

    interface Fetch {
        /**
         * Hosts or networks (CIDR) that may be fetched even though they are loopback, private or link-local; empty by
         * default, so such addresses are refused (protection against server-side request forgery).
         */
        Optional<java.util.List<String>> allow();

        /** Largest body fetched. */
        @WithDefault("10485760")
        long maxBytes();

        /** Time limit of one fetch, redirects included. */
        @WithDefault("20s")
        Duration timeout();
    }

    interface Chunking {
        /** Largest chunk, in model tokens (MiniLM reads at most 256, special tokens included). */
        @WithDefault("240")
        int maxTokens();

        /** Tokens repeated from the end of one chunk at the start of the next. */
        @WithDefault("32")
        int overlapTokens();
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

        /** Most texts per embedding call. */
        @WithDefault("32")
        int batchSize();
    }

    interface Vectors {
        /** {@code lucene} (embedded, on local disk; the default) or {@code qdrant}. */
        @WithDefault("lucene")
        String backend();

        /** Where the Lucene indexes live ({@code ENGRAM_DATA_DIR}/index). */
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

    interface Retry {
        /**
         * Attempts of a step that failed in a retriable way, the first included. Not applied while PostgreSQL is
         * unreachable: then the step is retried until {@link #maxDuration()}, so a restart or fail-over of the
         * database does not fail the documents in flight.
         */
        @WithDefault("4")
        int maxAttempts();

        /** Total time a document may spend retrying before it fails for good. */
        @WithDefault("30s")
        Duration maxDuration();

        /** First pause between attempts (doubling after each). */
        @WithDefault("250ms")
        Duration initialBackoff();

        /** Longest pause between two attempts. */
        @WithDefault("5s")
        Duration maxBackoff();
    }
}
