package dev.engram.memory.extract.llm;

import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.KnownMemory;
import dev.engram.memory.extract.SourceTurn;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat messages for one extraction, and the short ids they use: known memories are shown as {@code m1, m2, ...}
 * and turns as {@code t1, t2, ...}, whatever the caller's refs are, so the model copies short tokens and an id it
 * invents is recognisably unknown.
 */
final class ExtractionPrompt {

    /** The instructions; the schema here is what {@link AnswerParser} reads. */
    static final String SYSTEM = """
            You extract long-term memories for a memory engine from conversation turns or document text.

            A memory is one atomic, self-contained fact worth recalling weeks later: who someone is, what they like, \
            where they live or work, who they are related to, what they did, plan or own, and when. For documents, \
            the durable facts the text states. Rules:
            - One fact per memory, in the third person, naming the person ("Caroline went...", or "The user..." when \
            the user has no name). Never "I", "me" or "you".
            - Resolve relative dates ("yesterday", "last year", "next Friday") against the date of the turn they \
            appear in, and write the absolute date into the memory text.
            - Skip greetings, thanks, small talk, questions, compliments and advice; skip what the assistant says \
            unless it states a fact about the user that the user confirmed.
            - Follow the entity context, if given: it says whose memories these are and what matters.

            Compare every fact with the known memories and choose an action:
            - "add": a new fact.
            - "update": the fact replaces a known memory that is no longer true (a new home, job, relationship \
            status, preference). "target" is that memory's id.
            - "extend": the fact adds detail to a known memory that stays true. "target" is its id.
            - "duplicate": the fact is a known memory said again. "target" is its id; "memory" may be left out.

            Answer with a single JSON object and nothing else, in this shape:
            {"memories":[{"action":"add","memory":"...","target":"m3","static":true,"eventDates":["2023-05-07"],\
            "sources":["t2"]}]}
            - "static": true for lasting traits (identity, preferences, relationships, where someone lives or \
            works), false for events, plans and passing states.
            - "eventDates": the ISO dates (YYYY-MM-DD) the fact happened or refers to; [] if none.
            - "sources": the ids of the turns the fact comes from (t1, t2, ...).
            - "target": only for update, extend and duplicate, and only an id from the known memories.
            If nothing is worth remembering, answer {"memories":[]}.""";

    private final String user;
    private final Map<String, String> knownIds;
    private final Map<String, String> turnIds;

    private ExtractionPrompt(String user, Map<String, String> knownIds, Map<String, String> turnIds) {
        this.user = user;
        this.knownIds = Collections.unmodifiableMap(knownIds);
        this.turnIds = Collections.unmodifiableMap(turnIds);
    }

    /** The prompt for {@code request}, showing at most {@code maxKnown} known memories (the first ones). */
    static ExtractionPrompt of(ExtractionRequest request, int maxKnown) {
        Map<String, String> knownIds = new LinkedHashMap<>();
        Map<String, String> turnIds = new LinkedHashMap<>();
        StringBuilder user = new StringBuilder(1024);
        user.append("Container: ").append(request.containerTag()).append('\n');
        if (request.entityContext() != null) {
            user.append("Entity context: ")
                    .append(request.entityContext().strip())
                    .append('\n');
        }
        user.append("Document date: ").append(day(request.documentDate())).append("\n\n");

        user.append("Known memories:\n");
        List<KnownMemory> shown =
                request.known().subList(0, Math.min(maxKnown, request.known().size()));
        if (shown.isEmpty()) {
            user.append("(none)\n");
        }
        for (KnownMemory memory : shown) {
            String id = "m" + (knownIds.size() + 1);
            knownIds.put(id, memory.ref());
            user.append(id).append(": ").append(oneLine(memory.memory()));
            user.append(memory.isStatic() ? " (static" : " (dynamic");
            if (memory.updatedAt() != null) {
                user.append("; updated ").append(day(memory.updatedAt()));
            }
            user.append(")\n");
        }

        user.append("\nTurns:\n");
        for (SourceTurn turn : request.turns()) {
            String id = "t" + (turnIds.size() + 1);
            turnIds.put(id, turn.ref());
            user.append(id)
                    .append(" [")
                    .append(day(request.dateOf(turn)))
                    .append("] ")
                    .append(label(turn))
                    .append(": ")
                    .append(turn.text().strip())
                    .append('\n');
        }
        return new ExtractionPrompt(user.toString(), knownIds, turnIds);
    }

    /** The user message: context, known memories and turns. */
    String user() {
        return user;
    }

    /** Short known-memory id ({@code m1}) to the caller's ref, in prompt order. */
    Map<String, String> knownIds() {
        return knownIds;
    }

    /** Short turn id ({@code t1}) to the caller's ref, in prompt order. */
    Map<String, String> turnIds() {
        return turnIds;
    }

    private static String label(SourceTurn turn) {
        if (turn.speaker() != null && turn.role() != null) {
            return turn.speaker() + " (" + turn.role() + ")";
        }
        if (turn.speaker() != null) {
            return turn.speaker();
        }
        return turn.role() != null ? turn.role() : "document";
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
