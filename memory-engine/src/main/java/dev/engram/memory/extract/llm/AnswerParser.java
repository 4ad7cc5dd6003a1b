package dev.engram.memory.extract.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.memory.extract.MemoryOperation;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps a model's answer to memory operations, translating the prompt's short ids back to the caller's refs.
 *
 * <p>Lenient about shape: the JSON may be fenced, wrapped in prose or truncated ({@link LenientJson}); the list may be
 * under {@code memories}, the only array field of the object, a top-level array or a single object; ids may be written
 * {@code "m3"}, {@code "M3"} or {@code 3}; a missing action with no target means "add"; {@code none}/{@code noop} items
 * are skipped; dates may be {@code YYYY-MM-DD}, {@code YYYY-MM} or {@code YYYY}, and an unreadable date is dropped;
 * missing sources mean all turns.
 *
 * <p>Strict about meaning: an unknown action, a target or source id that the prompt did not show, or an add, update or
 * extend without memory text makes the whole answer malformed — nothing is silently dropped, and the extractor asks
 * again. When several updates name the same memory, the last one is kept as the update and the earlier ones become
 * additions, since only one can be the memory's next version.
 */
final class AnswerParser {

    private static final Pattern BARE_NUMBER = Pattern.compile("\\d{1,4}");

    private AnswerParser() {}

    /** Counts of what was forgiven, for debug logs. */
    record Leniency(int skippedItems, int droppedDates, boolean defaultedSources) {}

    /** The operations and what was forgiven to get them. */
    record Parsed(List<MemoryOperation> operations, Leniency leniency) {}

    /**
     * Reads {@code answer} against {@code prompt}'s ids.
     *
     * @throws MalformedAnswerException if no usable JSON is in the answer or it breaks the rules in the class comment
     */
    static Parsed parse(String answer, ExtractionPrompt prompt) throws MalformedAnswerException {
        JsonNode root = LenientJson.read(answer)
                .orElseThrow(() -> new MalformedAnswerException("the answer holds no readable JSON object"));
        List<JsonNode> items = items(root);
        List<MemoryOperation> operations = new ArrayList<>(items.size());
        int skipped = 0;
        int[] droppedDates = {0};
        boolean defaulted = false;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw new MalformedAnswerException("item " + i + " is not an object");
            }
            String action = text(item, "action").toLowerCase(Locale.ROOT);
            String memory = text(item, "memory");
            JsonNode targetNode = item.get("target");
            boolean hasTarget = targetNode != null
                    && !targetNode.isNull()
                    && !targetNode.asText().isBlank();
            if (action.isEmpty()) {
                if (hasTarget) {
                    throw new MalformedAnswerException("item " + i + " has a target but no action");
                }
                action = "add";
            }
            if (Set.of("none", "noop", "no-op", "skip", "ignore", "nothing").contains(action)) {
                skipped++;
                continue;
            }
            if (!Set.of("add", "update", "extend", "duplicate").contains(action)) {
                throw new MalformedAnswerException("item " + i + " has unknown action '" + shorten(action) + "'");
            }
            if (!action.equals("duplicate") && memory.isBlank()) {
                throw new MalformedAnswerException("item " + i + " (" + action + ") has no memory text");
            }
            List<String> sources = sources(item.get("sources"), prompt.turnIds(), i);
            if (sources.isEmpty()) {
                sources = List.copyOf(prompt.turnIds().values());
                defaulted = true;
            }
            boolean isStatic = bool(item.get("static"));
            List<LocalDate> dates = dates(item.get("eventDates"), droppedDates);
            operations.add(
                    switch (action) {
                        case "add" -> new MemoryOperation.Add(memory, isStatic, dates, sources);
                        case "update" ->
                            new MemoryOperation.Update(
                                    target(targetNode, prompt.knownIds(), i), memory, isStatic, dates, sources);
                        case "extend" ->
                            new MemoryOperation.Extend(
                                    target(targetNode, prompt.knownIds(), i), memory, isStatic, dates, sources);
                        default -> new MemoryOperation.Duplicate(target(targetNode, prompt.knownIds(), i), sources);
                    });
        }
        return new Parsed(oneUpdatePerMemory(operations), new Leniency(skipped, droppedDates[0], defaulted));
    }

    private static List<JsonNode> items(JsonNode root) throws MalformedAnswerException {
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(items::add);
            return items;
        }
        JsonNode memories = root.get("memories");
        if (memories == null) {
            if (root.has("action") || root.has("memory")) {
                return List.of(root);
            }
            List<String> arrayFields = new ArrayList<>();
            root.properties().forEach(field -> {
                if (field.getValue().isArray()) {
                    arrayFields.add(field.getKey());
                }
            });
            if (arrayFields.size() != 1) {
                throw new MalformedAnswerException("the answer has no 'memories' list");
            }
            memories = root.get(arrayFields.get(0));
        }
        if (memories.isObject()) {
            return List.of(memories);
        }
        if (!memories.isArray()) {
            throw new MalformedAnswerException("'memories' is not a list");
        }
        memories.forEach(items::add);
        return items;
    }

    private static String target(JsonNode node, Map<String, String> knownIds, int item)
            throws MalformedAnswerException {
        if (node == null || node.isNull() || node.asText().isBlank()) {
            throw new MalformedAnswerException("item " + item + " has no target");
        }
        String ref = knownIds.get(normalise(node.asText(), "m"));
        if (ref == null) {
            throw new MalformedAnswerException(
                    "item " + item + " names unknown memory '" + shorten(node.asText()) + "'");
        }
        return ref;
    }

    private static List<String> sources(JsonNode node, Map<String, String> turnIds, int item)
            throws MalformedAnswerException {
        List<String> refs = new ArrayList<>();
        if (node == null || node.isNull()) {
            return refs;
        }
        List<JsonNode> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        for (JsonNode value : values) {
            String ref = turnIds.get(normalise(value.asText(), "t"));
            if (ref == null) {
                throw new MalformedAnswerException(
                        "item " + item + " names unknown turn '" + shorten(value.asText()) + "'");
            }
            refs.add(ref);
        }
        return refs;
    }

    /** {@code "M3"}, {@code " m3 "} and {@code "3"} all become {@code m3} (for prefix {@code m}). */
    private static String normalise(String id, String prefix) {
        String trimmed = id.strip().toLowerCase(Locale.ROOT);
        return BARE_NUMBER.matcher(trimmed).matches() ? prefix + Integer.parseInt(trimmed) : trimmed;
    }

    private static List<LocalDate> dates(JsonNode node, int[] dropped) {
        List<LocalDate> dates = new ArrayList<>();
        if (node == null || node.isNull()) {
            return dates;
        }
        List<JsonNode> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        for (JsonNode value : values) {
            LocalDate date = date(value.asText().strip());
            if (date == null) {
                dropped[0]++;
            } else {
                dates.add(date);
            }
        }
        return dates;
    }

    private static LocalDate date(String text) {
        try {
            if (text.length() == 4) {
                return LocalDate.of(Integer.parseInt(text), 1, 1);
            }
            if (text.length() == 7) {
                return YearMonth.parse(text).atDay(1);
            }
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean bool(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        return node.isBoolean()
                ? node.booleanValue()
                : "true".equalsIgnoreCase(node.asText().strip());
    }

    private static String text(JsonNode item, String field) {
        JsonNode node = item.get(field);
        return node == null || node.isNull() || node.isContainerNode()
                ? ""
                : node.asText().strip();
    }

    /** Model-made tokens quoted in messages are cut short; they are ids or action names, not content. */
    private static String shorten(String token) {
        String oneLine = token.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 20 ? oneLine : oneLine.substring(0, 20) + "…";
    }

    private static List<MemoryOperation> oneUpdatePerMemory(List<MemoryOperation> operations) {
        Set<String> updated = new HashSet<>();
        List<MemoryOperation> result = new ArrayList<>(operations);
        for (int i = result.size() - 1; i >= 0; i--) {
            if (result.get(i) instanceof MemoryOperation.Update update && !updated.add(update.knownRef())) {
                result.set(
                        i,
                        new MemoryOperation.Add(
                                update.memory(), update.isStatic(), update.eventDates(), update.sourceRefs()));
            }
        }
        return result;
    }
}
