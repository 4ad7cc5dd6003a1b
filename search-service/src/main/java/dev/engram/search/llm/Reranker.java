package dev.engram.search.llm;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code rerank}: the LLM orders the candidates by relevance to the query. Candidates are shown with short numeric ids
 * (1..n) and their text cut at {@value #MAX_TEXT} characters; ids the model invents or repeats are ignored, and
 * candidates it leaves out keep their order after the ones it ranked.
 */
@ApplicationScoped
public class Reranker {

    static final String SYSTEM = "You rank search results by how well they answer or match the query. Reply with a JSON"
            + " object {\"order\": [ids]} listing the result ids from most to least relevant, every id exactly once.";

    /** Characters of each candidate's text shown to the model. */
    static final int MAX_TEXT = 500;

    @Inject
    ChatClient chat;

    /** The candidates' indexes (0-based), best first: a permutation of {@code 0..texts.size()-1}. */
    public List<Integer> order(String q, List<String> texts) throws LlmCallException {
        return parse(chat.completeJson("rerank", SYSTEM, prompt(q, texts)), texts.size());
    }

    static String prompt(String q, List<String> texts) {
        StringBuilder user = new StringBuilder("Query: ").append(q).append("\n\nResults:\n");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i).replace('\n', ' ');
            user.append('[')
                    .append(i + 1)
                    .append("] ")
                    .append(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text)
                    .append('\n');
        }
        return user.toString();
    }

    /**
     * The order in the answer as 0-based indexes, completed with the candidates it left out in their order.
     *
     * @throws LlmCallException when the answer names none of the {@code count} ids
     */
    static List<Integer> parse(JsonNode answer, int count) throws LlmCallException {
        JsonNode order = answer.get("order");
        Set<Integer> ranked = new LinkedHashSet<>();
        if (order != null && order.isArray()) {
            for (JsonNode id : order) {
                int value = id.isNumber()
                        ? (id.canConvertToInt() && id.isIntegralNumber() ? id.intValue() : -1)
                        : parseId(id.asText(""));
                if (value >= 1 && value <= count) {
                    ranked.add(value - 1);
                }
            }
        }
        if (ranked.isEmpty() && count > 0) {
            throw new LlmCallException("the LLM's answer held no usable order");
        }
        List<Integer> indexes = new ArrayList<>(ranked);
        for (int i = 0; i < count; i++) {
            if (!ranked.contains(i)) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    private static int parseId(String text) {
        String digits = text.strip().replaceAll("^\\[|\\]$", "");
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
