package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * LoCoMo as the eval-data folder's per-turn job files hold it ({@code jobs/locomo.documents.jsonl} and
 * {@code jobs/locomo.queries.jsonl}, see its PROVENANCE.md): conversations split into sessions of turns, and the
 * answerable questions with the turns that hold their evidence. Read at run time only; nothing of it is kept.
 *
 * @param conversations in file order, each with its sessions in order
 * @param questions the answerable questions of those conversations, in file order
 * @param withoutEvidence the questions of categories 1–4 that were dropped because they have no evidence, in file
 *     order
 */
record LocomoData(List<Conversation> conversations, List<Question> questions, List<Dropped> withoutEvidence) {

    /** The turn file, relative to the eval-data folder. */
    static final String DOCUMENTS = "jobs/locomo.documents.jsonl";

    /** The question file, relative to the eval-data folder. */
    static final String QUERIES = "jobs/locomo.queries.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    LocomoData {
        conversations = List.copyOf(conversations);
        questions = List.copyOf(questions);
        withoutEvidence = List.copyOf(withoutEvidence);
    }

    LocomoData(List<Conversation> conversations, List<Question> questions) {
        this(conversations, questions, List.of());
    }

    /** The answerable question categories, numbered as in the data (not as in the paper). */
    enum Category {
        MULTI_HOP(1, "multi-hop"),
        TEMPORAL(2, "temporal"),
        OPEN_DOMAIN(3, "open-domain"),
        SINGLE_HOP(4, "single-hop");

        private final int code;
        private final String label;

        Category(int code, String label) {
            this.code = code;
            this.label = label;
        }

        /** The label used in reports, e.g. {@code multi-hop}. */
        String label() {
            return label;
        }

        /** The category numbered {@code code} in the data; empty for 5 (adversarial) and unknown numbers. */
        static Optional<Category> of(int code) {
            for (Category category : values()) {
                if (category.code == code) {
                    return Optional.of(category);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One dialogue turn.
     *
     * @param customId {@code <conversation>_D<session>-<turn>}, the id evidence refers to
     * @param conversation the LoCoMo conversation id, e.g. {@code conv-26}
     * @param session session number, from 1
     * @param turn turn number within the session, from 1
     * @param speaker who said it
     * @param date the session's date and time, as given (no zone)
     * @param text what was said, without the {@code [date] Speaker:} prefix of the job file
     */
    record Turn(
            String customId,
            String conversation,
            int session,
            int turn,
            String speaker,
            LocalDateTime date,
            String text) {

        Turn {
            Objects.requireNonNull(customId, "customId");
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(speaker, "speaker");
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(text, "text");
        }
    }

    /** One session: its turns, in order. */
    record Session(int number, List<Turn> turns) {
        Session {
            turns = List.copyOf(turns);
        }
    }

    /** One conversation: its sessions, in order. */
    record Conversation(String id, List<Session> sessions) {
        Conversation {
            sessions = List.copyOf(sessions);
        }

        /** Every turn, session by session. */
        List<Turn> turns() {
            return sessions.stream().flatMap(s -> s.turns().stream()).toList();
        }
    }

    /**
     * An answerable question.
     *
     * @param id the query id
     * @param conversation the conversation it is about
     * @param category what kind of question it is
     * @param evidence the customIds of the turns that hold the answer (the audited list where there is one), never
     *     empty, without repeats
     * @param text the question as asked, empty if the file has none
     * @param unresolved evidence ids as LoCoMo wrote them that the job file could not resolve to a turn (e.g. a turn
     *     the conversation does not have); empty where the audited evidence replaces LoCoMo's
     */
    record Question(
            String id,
            String conversation,
            Category category,
            List<String> evidence,
            String text,
            List<String> unresolved) {
        Question {
            evidence = List.copyOf(new LinkedHashSet<>(evidence));
            if (evidence.isEmpty()) {
                throw new IllegalArgumentException("an answerable question has evidence");
            }
            Objects.requireNonNull(text, "text");
            unresolved = List.copyOf(unresolved);
        }

        /** A question without its text and with every evidence id resolved. */
        Question(String id, String conversation, Category category, List<String> evidence) {
            this(id, conversation, category, evidence, "", List.of());
        }
    }

    /** A question of categories 1–4 that was dropped because the file gives it no evidence. */
    record Dropped(String id, String conversation) {}

    /**
     * Reads both job files from the eval-data folder {@code dir}.
     *
     * @throws IOException if a file is missing or unreadable, naming it
     * @throws IllegalArgumentException if a line is not what the files are documented to hold, naming the line
     */
    static LocomoData load(Path dir) throws IOException {
        List<Turn> turns = new ArrayList<>();
        readLines(dir.resolve(DOCUMENTS), (line, number) -> turns.add(turn(line)));
        List<Question> questions = new ArrayList<>();
        List<Dropped> withoutEvidence = new ArrayList<>();
        readLines(dir.resolve(QUERIES), (line, number) -> {
            Optional<Question> question = answerable(line);
            if (question.isPresent()) {
                questions.add(question.get());
            } else if (withoutEvidence(line)) {
                withoutEvidence.add(new Dropped(
                        required(line, "queryId").asText(),
                        required(line, "containerTag").asText()));
            }
        });
        return new LocomoData(conversations(turns), questions, withoutEvidence);
    }

    /** The first {@code n} conversations (all if {@code n} is 0 or at least their number) and their questions. */
    LocomoData first(int n) {
        if (n <= 0 || n >= conversations.size()) {
            return this;
        }
        List<Conversation> kept = conversations.subList(0, n);
        Set<String> ids = new LinkedHashSet<>();
        kept.forEach(c -> ids.add(c.id()));
        return new LocomoData(
                kept,
                questions.stream().filter(q -> ids.contains(q.conversation())).toList(),
                withoutEvidence.stream()
                        .filter(q -> ids.contains(q.conversation()))
                        .toList());
    }

    /** Every turn of every conversation, in order. */
    List<Turn> turns() {
        return conversations.stream().flatMap(c -> c.turns().stream()).toList();
    }

    /** One line of the turn file. */
    static Turn turn(JsonNode line) {
        JsonNode metadata = line.path("metadata");
        String speaker = required(metadata, "speaker").asText();
        String date = required(metadata, "date").asText();
        LocalDateTime parsed;
        try {
            parsed = LocalDateTime.parse(date);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("metadata.date is not an ISO local date-time: " + date, e);
        }
        return new Turn(
                required(line, "customId").asText(),
                required(line, "containerTag").asText(),
                required(metadata, "session").asInt(),
                required(metadata, "turn").asInt(),
                speaker,
                parsed,
                withoutPrefix(required(line, "content").asText(), speaker));
    }

    /**
     * One line of the question file, if the question is answerable: not adversarial (category 5), of a known
     * category, and with evidence ({@code evidenceAudited} where present, else {@code evidence}).
     */
    static Optional<Question> answerable(JsonNode line) {
        Optional<Category> category = answerableCategory(line);
        List<String> ids = evidence(line);
        if (category.isEmpty() || ids.isEmpty()) {
            return Optional.empty();
        }
        List<String> unresolved = new ArrayList<>();
        if (!line.has("evidenceAudited")) {
            line.path("unresolvedEvidence").forEach(id -> unresolved.add(id.asText()));
        }
        return Optional.of(new Question(
                required(line, "queryId").asText(),
                required(line, "containerTag").asText(),
                category.get(),
                ids,
                line.path("question").asText(""),
                unresolved));
    }

    /** Whether a line of the question file is of categories 1–4 but has no evidence. */
    static boolean withoutEvidence(JsonNode line) {
        return answerableCategory(line).isPresent() && evidence(line).isEmpty();
    }

    private static Optional<Category> answerableCategory(JsonNode line) {
        Optional<Category> category = Category.of(required(line, "category").asInt());
        return line.path("adversarial").asBoolean(false) ? Optional.empty() : category;
    }

    /** {@code evidenceAudited} where present, else {@code evidence}. */
    private static List<String> evidence(JsonNode line) {
        JsonNode evidence = line.has("evidenceAudited") ? line.get("evidenceAudited") : line.path("evidence");
        List<String> ids = new ArrayList<>();
        evidence.forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /**
     * Groups turns into conversations (in order of first appearance) and sessions (by number), each session's turns
     * by turn number.
     */
    static List<Conversation> conversations(List<Turn> turns) {
        Map<String, TreeMap<Integer, List<Turn>>> grouped = new LinkedHashMap<>();
        for (Turn turn : turns) {
            grouped.computeIfAbsent(turn.conversation(), id -> new TreeMap<>())
                    .computeIfAbsent(turn.session(), s -> new ArrayList<>())
                    .add(turn);
        }
        List<Conversation> conversations = new ArrayList<>(grouped.size());
        grouped.forEach((id, sessions) -> {
            List<Session> ordered = new ArrayList<>(sessions.size());
            sessions.forEach((number, sessionTurns) -> ordered.add(new Session(
                    number,
                    sessionTurns.stream()
                            .sorted(Comparator.comparingInt(Turn::turn))
                            .toList())));
            conversations.add(new Conversation(id, ordered));
        });
        return conversations;
    }

    /** {@code [date] Speaker: text} → {@code text}; content in another shape is kept whole. */
    static String withoutPrefix(String content, String speaker) {
        String text = content;
        if (text.startsWith("[")) {
            int close = text.indexOf("] ");
            if (close > 0) {
                text = text.substring(close + 2);
            }
        }
        String label = speaker + ": ";
        return text.startsWith(label) ? text.substring(label.length()) : content;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private interface LineHandler {
        void accept(JsonNode line, int number);
    }

    private static void readLines(Path file, LineHandler handler) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    handler.accept(JSON.readTree(text), number);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "not found (is --data the eval-data folder?)");
        }
    }
}
