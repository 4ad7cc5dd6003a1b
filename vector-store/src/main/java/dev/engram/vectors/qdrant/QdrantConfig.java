package dev.engram.vectors.qdrant;

import dev.engram.core.vectors.VectorKind;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Qdrant and name its collections.
 *
 * @param host Qdrant host name
 * @param port gRPC port (Qdrant's default is 6334; 6333 is its REST port)
 * @param useTls whether to connect with TLS
 * @param apiKey API key sent with every call, or {@code null} for none
 * @param collectionPrefix prefix of the collection names: kind {@code chunks} with prefix {@code engram_} is the
 *     collection {@code engram_chunks}
 * @param timeout deadline of each call
 * @param maxIndexedMetadataFields most payload indexes created for metadata fields per collection (see
 *     {@link QdrantVectorStore}); 0 creates none (filters still work, by scanning)
 */
public record QdrantConfig(
        String host,
        int port,
        boolean useTls,
        String apiKey,
        String collectionPrefix,
        Duration timeout,
        int maxIndexedMetadataFields) {

    /** Qdrant's gRPC port. */
    public static final int DEFAULT_PORT = 6334;
    /** Collection name prefix unless configured. */
    public static final String DEFAULT_PREFIX = "engram_";
    /** Call deadline unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Cap on metadata payload indexes unless configured. */
    public static final int DEFAULT_MAX_INDEXED_METADATA_FIELDS = 64;

    public QdrantConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(collectionPrefix, "collectionPrefix");
        Objects.requireNonNull(timeout, "timeout");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1..65535: " + port);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxIndexedMetadataFields < 0) {
            throw new IllegalArgumentException("maxIndexedMetadataFields must not be negative");
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
    }

    /**
     * The configuration for a URL such as {@code http://localhost:6334} or {@code https://qdrant.example:6334} (the
     * scheme selects TLS; the port defaults to {@value #DEFAULT_PORT}), with default prefix, timeout and index cap.
     */
    public static QdrantConfig fromUrl(String url) {
        Objects.requireNonNull(url, "url");
        URI uri = URI.create(url.contains("://") ? url : "http://" + url);
        boolean tls = switch (uri.getScheme()) {
            case "http", "grpc" -> false;
            case "https", "grpcs" -> true;
            default -> throw new IllegalArgumentException("Qdrant URL must be http(s)://host[:port]: " + url);
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Qdrant URL has no host: " + url);
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return new QdrantConfig(
                uri.getHost(), port, tls, null, DEFAULT_PREFIX, DEFAULT_TIMEOUT, DEFAULT_MAX_INDEXED_METADATA_FIELDS);
    }

    /** This configuration with another API key ({@code null} for none). */
    public QdrantConfig withApiKey(String key) {
        return new QdrantConfig(host, port, useTls, key, collectionPrefix, timeout, maxIndexedMetadataFields);
    }

    /** This configuration with another collection prefix. */
    public QdrantConfig withCollectionPrefix(String prefix) {
        return new QdrantConfig(host, port, useTls, apiKey, prefix, timeout, maxIndexedMetadataFields);
    }

    /** This configuration with another call deadline. */
    public QdrantConfig withTimeout(Duration deadline) {
        return new QdrantConfig(host, port, useTls, apiKey, collectionPrefix, deadline, maxIndexedMetadataFields);
    }

    /** This configuration with another cap on metadata payload indexes. */
    public QdrantConfig withMaxIndexedMetadataFields(int max) {
        return new QdrantConfig(host, port, useTls, apiKey, collectionPrefix, timeout, max);
    }

    /** The collection holding {@code kind}. */
    public String collectionName(VectorKind kind) {
        return collectionPrefix + kind.collectionSuffix();
    }

    @Override
    public String toString() { // never print the API key
        return "QdrantConfig[host=" + host + ", port=" + port + ", useTls=" + useTls + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", collectionPrefix=" + collectionPrefix + ", timeout=" + timeout
                + ", maxIndexedMetadataFields=" + maxIndexedMetadataFields + "]";
    }
}
