package dev.engram.search.llm;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code aggregate}: the LLM synthesizes new memories, each combining the information of two or more of the found
 * memories (shown with short ids 1..n), relevant to the query. At most {@value #MAX_AGGREGATES}; one citing fewer than
 * two known memories, or with no text, is dropped.
 */
@ApplicationScoped
public class Aggregator {

    static final String SYSTEM = "You combine a user's memories. Given a query and numbered memories, write at most "
            + Aggregator.MAX_AGGREGATES
            + " new memories that each merge facts from two or more of the given memories into one self-contained"
            + " statement relevant to the query. Use only what the memories say. Reply with a JSON object"
            + " {\"memories\": [{\"memory\": \"<text>\", \"sources\": [ids]}]}; an empty list when nothing combines.";

    /** Most aggregated memories per search. */
    static final int MAX_AGGREGATES = 3;

    /** Longest aggregated memory kept. */
    static final int MAX_TEXT = 2_000;

    /**
     * An aggregated memory.
     *
     * @param sources the 0-based indexes of the memories it combines (two or more, in the answer's order)
     */
    public record Aggregate(String memory, List<Integer> sources) {}

    @Inject
    ChatClient chat;

    /** The aggregated memories of {@code memories} for {@code q} (possibly none). */
    public List<Aggregate> aggregate(String q, List<String> memories) throws LlmCallException {
        return parse(chat.completeJson("aggregate", SYSTEM, Reranker.prompt(q, memories)), memories.size());
    }

    /**
     * The usable aggregates of the answer.
     *
     * @throws LlmCallException when the answer has no {@code memories} list
     */
    static List<Aggregate> parse(JsonNode answer, int count) throws LlmCallException {
        JsonNode items = answer.get("memories");
        if (items == null || !items.isArray()) {
            throw new LlmCallException("the LLM's answer held no memories list");
        }
        List<Aggregate> aggregates = new ArrayList<>();
        for (JsonNode item : items) {
            String text = item.path("memory").asText("").strip();
            Set<Integer> sources = new LinkedHashSet<>();
            for (JsonNode id : item.path("sources")) {
                int value = id.isIntegralNumber() ? id.intValue() : parseInt(id.asText(""));
                if (value >= 1 && value <= count) {
                    sources.add(value - 1);
                }
            }
            if (!text.isEmpty() && sources.size() >= 2 && aggregates.size() < MAX_AGGREGATES) {
                aggregates.add(new Aggregate(
                        text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text, List.copyOf(sources)));
            }
        }
        return aggregates;
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
