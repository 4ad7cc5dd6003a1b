package dev.engram.search.llm;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code rewriteQuery}: the search query rewritten by the LLM into one that retrieves better. */
@ApplicationScoped
public class QueryRewriter {

    static final String SYSTEM = "You rewrite search queries for a semantic and keyword search over a user's memories"
            + " and documents. Keep the meaning and every name, number and date; expand abbreviations, fix typos, drop"
            + " filler words and conversational framing, add a key synonym when it helps. Never answer the question."
            + " Reply with a JSON object: {\"query\": \"<the rewritten query>\"}.";

    /** The longest rewritten query kept (as {@code q} is checked). */
    static final int MAX_QUERY = 10_000;

    @Inject
    ChatClient chat;

    /** The rewritten query. */
    public String rewrite(String q) throws LlmCallException {
        return parse(chat.completeJson("rewriteQuery", SYSTEM, "Query: " + q));
    }

    /** The {@code query} of the answer, stripped. */
    static String parse(JsonNode answer) throws LlmCallException {
        JsonNode query = answer.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            throw new LlmCallException("the LLM's answer held no rewritten query");
        }
        String rewritten = query.asText().strip();
        return rewritten.length() > MAX_QUERY ? rewritten.substring(0, MAX_QUERY) : rewritten;
    }
}
