package dev.engram.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Cuts a document into the texts an ingestion pipeline would embed, approximately the way memory-writer's chunker
 * does (that chunker lives in the service, out of this module's reach): Markdown sections, whole sentences and list
 * items packed up to {@code maxTokens} model tokens, each chunk prefixed with its heading path, and consecutive
 * chunks of a section sharing up to {@code overlapTokens} of trailing sentences. A text that fits is one chunk.
 *
 * <p>Only the count and the rough size of the chunks matter here: they set how much work the raw-embedding baseline
 * does. The end-to-end phase reports the pipeline's real chunk count beside this estimate.
 */
final class ApproximateChunker {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

    private final int maxTokens;
    private final int overlapTokens;
    private final ToIntFunction<String> tokens;

    /**
     * @param maxTokens most tokens per chunk, heading path and overlap included
     * @param overlapTokens most tokens repeated from the previous chunk of a section
     * @param tokens counts model tokens in a text
     */
    ApproximateChunker(int maxTokens, int overlapTokens, ToIntFunction<String> tokens) {
        if (maxTokens < 16 || overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException("need maxTokens >= 16 and 0 <= overlapTokens < maxTokens / 2");
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.tokens = tokens;
    }

    /** The chunks of {@code text}, in order; never empty for a non-blank text. */
    List<String> chunk(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        if (tokens.applyAsInt(text) <= maxTokens) {
            return List.of(text.strip());
        }
        List<String> chunks = new ArrayList<>();
        String title = "";
        String heading = "";
        List<String> units = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                pack(prefix(title, heading), units, chunks);
                units.clear();
                if (trimmed.startsWith("##")) {
                    heading = trimmed;
                } else {
                    title = trimmed;
                    heading = "";
                }
            } else if (trimmed.startsWith("- ")) {
                units.add(trimmed);
            } else if (!trimmed.isEmpty()) {
                for (String sentence : SENTENCE_END.split(trimmed)) {
                    units.add(sentence);
                }
            }
        }
        pack(prefix(title, heading), units, chunks);
        return chunks;
    }

    private static String prefix(String title, String heading) {
        return (title.isEmpty() ? "" : title + "\n") + (heading.isEmpty() ? "" : heading + "\n");
    }

    /** Packs one section's units into chunks of at most {@code maxTokens}. */
    private void pack(String prefix, List<String> units, List<String> chunks) {
        if (units.isEmpty()) {
            return;
        }
        int prefixTokens = tokens.applyAsInt(prefix);
        int bodyLimit = Math.max(8, maxTokens - prefixTokens - overlapTokens);
        List<String> body = new ArrayList<>();
        List<Integer> bodyTokens = new ArrayList<>();
        List<String> overlap = List.of();
        int used = 0;
        for (String unit : splitLongUnits(units, bodyLimit)) {
            int unitTokens = tokens.applyAsInt(unit);
            if (!body.isEmpty() && used + unitTokens > bodyLimit) {
                chunks.add(render(prefix, overlap, body));
                overlap = trailing(body, bodyTokens);
                body.clear();
                bodyTokens.clear();
                used = 0;
            }
            body.add(unit);
            bodyTokens.add(unitTokens);
            used += unitTokens;
        }
        chunks.add(render(prefix, overlap, body));
    }

    /** Whole trailing units of {@code body} totalling at most {@code overlapTokens}. */
    private List<String> trailing(List<String> body, List<Integer> bodyTokens) {
        int total = 0;
        int from = body.size();
        while (from > 0 && total + bodyTokens.get(from - 1) <= overlapTokens) {
            from--;
            total += bodyTokens.get(from);
        }
        return List.copyOf(body.subList(from, body.size()));
    }

    /** Units longer than {@code limit} tokens cut into word windows that fit. */
    private List<String> splitLongUnits(List<String> units, int limit) {
        List<String> result = new ArrayList<>(units.size());
        for (String unit : units) {
            if (tokens.applyAsInt(unit) <= limit) {
                result.add(unit);
                continue;
            }
            StringBuilder window = new StringBuilder();
            for (String word : unit.split("\\s+")) {
                String candidate = window.isEmpty() ? word : window + " " + word;
                if (!window.isEmpty() && tokens.applyAsInt(candidate) > limit) {
                    result.add(window.toString());
                    window.setLength(0);
                    window.append(word);
                } else {
                    window.setLength(0);
                    window.append(candidate);
                }
            }
            if (!window.isEmpty()) {
                result.add(window.toString());
            }
        }
        return result;
    }

    private static String render(String prefix, List<String> overlap, List<String> body) {
        StringBuilder chunk = new StringBuilder(prefix);
        for (String unit : overlap) {
            chunk.append(unit).append(' ');
        }
        chunk.append(String.join(" ", body));
        return chunk.toString().strip();
    }
}
