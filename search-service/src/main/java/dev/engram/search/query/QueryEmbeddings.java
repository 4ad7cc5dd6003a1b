package dev.engram.search.query;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.search.config.SearchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Embeds search queries, keeping the most recently used ones ({@code search.embedding.cache-size}): conversational
 * clients repeat queries, and an embedding costs more than the index lookup. Keyed by the exact query text.
 */
@ApplicationScoped
public class QueryEmbeddings {

    private final TextEmbedder embedder;
    private final int capacity;
    private final Map<String, float[]> cache;

    @Inject
    public QueryEmbeddings(TextEmbedder embedder, SearchConfig config) {
        this.embedder = embedder;
        this.capacity = Math.max(0, config.embedding().cacheSize());
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The embedding of {@code query} (shared: callers must not modify it). */
    public float[] embed(String query) {
        if (capacity > 0) {
            synchronized (cache) {
                float[] cached = cache.get(query);
                if (cached != null) {
                    return cached;
                }
            }
        }
        float[] vector = embedder.embedQuery(query);
        if (capacity > 0) {
            synchronized (cache) {
                cache.put(query, vector);
            }
        }
        return vector;
    }
}
