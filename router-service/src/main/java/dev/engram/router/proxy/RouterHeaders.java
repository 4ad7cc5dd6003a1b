package dev.engram.router.proxy;

import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * The headers the router adds to the provider's answer.
 *
 * @param conversationId {@code x-supermemory-conversation-id}
 * @param contextModified {@code x-supermemory-context-modified}: whether memories were injected or turns dropped or
 *     backfilled
 * @param tokensProcessed {@code x-supermemory-tokens-processed}: tokens of the prompt as forwarded
 * @param chunksRetrieved {@code x-supermemory-chunks-retrieved}: memories injected
 * @param turnsBackfilled {@code x-supermemory-turns-backfilled}: stored turns put before the client's
 * @param error {@code x-supermemory-error}: why the router failed open, when it did
 */
record RouterHeaders(
        String conversationId,
        boolean contextModified,
        int tokensProcessed,
        int chunksRetrieved,
        int turnsBackfilled,
        Optional<String> error) {

    static final String CONVERSATION_ID = "x-supermemory-conversation-id";
    static final String CONTEXT_MODIFIED = "x-supermemory-context-modified";
    static final String TOKENS_PROCESSED = "x-supermemory-tokens-processed";
    static final String CHUNKS_RETRIEVED = "x-supermemory-chunks-retrieved";
    static final String TURNS_BACKFILLED = "x-supermemory-turns-backfilled";
    static final String ERROR = "x-supermemory-error";

    /** These headers with one more failure added to {@code x-supermemory-error}. */
    RouterHeaders withError(String more) {
        return new RouterHeaders(
                conversationId,
                contextModified,
                tokensProcessed,
                chunksRetrieved,
                turnsBackfilled,
                Optional.of(error.map(existing -> existing + "; " + more).orElse(more)));
    }

    void writeTo(HttpServerResponse response) {
        response.putHeader(CONVERSATION_ID, conversationId)
                .putHeader(CONTEXT_MODIFIED, Boolean.toString(contextModified))
                .putHeader(TOKENS_PROCESSED, Integer.toString(tokensProcessed))
                .putHeader(CHUNKS_RETRIEVED, Integer.toString(chunksRetrieved))
                .putHeader(TURNS_BACKFILLED, Integer.toString(turnsBackfilled));
        error.ifPresent(value -> response.putHeader(ERROR, value));
    }
}
