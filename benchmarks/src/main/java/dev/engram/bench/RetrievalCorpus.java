package dev.engram.bench;

import dev.engram.bench.CorpusGenerator.Document;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LoCoMo as the retrieval evaluation sends and asks it: one document per turn, each conversation in a container tag of
 * its own, and the questions whose evidence turns are in their conversation.
 *
 * @param documents every turn of every conversation, in order
 * @param diaIds the dialogue id ({@code D<session>:<turn>}) of each document, by custom id
 * @param probes the questions to ask, in file order
 * @param excluded the questions not asked, and why
 * @param partlyMissing how many of the probes have evidence ids that are not in their conversation (scored on the
 *     rest)
 */
record RetrievalCorpus(
        List<Document> documents,
        Map<String, String> diaIds,
        List<Probe> probes,
        List<Excluded> excluded,
        int partlyMissing) {

    /** How a session's date is written before each turn, e.g. {@code 9:30 AM on 1 March, 2021}, as LoCoMo writes session dates. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("h:mm a 'on' d MMMM, yyyy", Locale.ENGLISH);

    RetrievalCorpus {
        documents = List.copyOf(documents);
        diaIds = Map.copyOf(diaIds);
        probes = List.copyOf(probes);
        excluded = List.copyOf(excluded);
    }

    /**
     * A question to ask.
     *
     * @param containerTag its conversation's tag
     * @param evidence the dialogue ids of its evidence turns that are in the conversation, never empty
     */
    record Probe(LocomoData.Question question, String containerTag, Set<String> evidence) {
        Probe {
            evidence = Set.copyOf(evidence);
        }
    }

    /** A question left out, with the reason. */
    record Excluded(String questionId, String reason) {}

    /** The container tag of the conversation at {@code index} (from 0): {@code <runId>-conv<index>}. */
    static String containerTag(String runId, int index) {
        return runId + "-conv" + index;
    }

    /**
     * The custom id of a turn, {@code <runId>-<conversation>-<diaId>}, with any character the API does not allow in a
     * custom id replaced by {@code _}.
     */
    static String customId(String runId, String conversation, String diaId) {
        return (runId + "-" + conversation + "-" + diaId).replaceAll("[^a-zA-Z0-9_:.-]", "_");
    }

    /** {@code <session date>: <speaker>: <text>}; the text keeps any image caption LoCoMo gives the turn. */
    static String content(LocomoData.Turn turn) {
        return turn.date().format(DATE) + ": " + turn.speaker() + ": " + turn.text();
    }

    /** Builds the documents and questions of {@code data} for the run {@code runId}. */
    static RetrievalCorpus of(LocomoData data, String runId) {
        List<Document> documents = new ArrayList<>();
        Map<String, String> diaIds = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        Map<String, Set<String>> turnsOf = new HashMap<>();
        List<LocomoData.Conversation> conversations = data.conversations();
        for (int index = 0; index < conversations.size(); index++) {
            LocomoData.Conversation conversation = conversations.get(index);
            String tag = containerTag(runId, index);
            tags.put(conversation.id(), tag);
            Set<String> turns = new HashSet<>();
            for (LocomoData.Turn turn : conversation.turns()) {
                String diaId = EvidenceIds.diaId(turn.session(), turn.turn());
                String customId = customId(runId, conversation.id(), diaId);
                Map<String, String> metadata = new LinkedHashMap<>();
                metadata.put("dia_id", diaId);
                metadata.put("session", Integer.toString(turn.session()));
                documents.add(new Document(customId, tag, content(turn), CorpusGenerator.Kind.SHORT, metadata));
                diaIds.put(customId, diaId);
                turns.add(diaId);
            }
            turnsOf.put(conversation.id(), turns);
        }
        List<Probe> probes = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        int partlyMissing = 0;
        for (LocomoData.Question question : data.questions()) {
            Set<String> turns = turnsOf.getOrDefault(question.conversation(), Set.of());
            Set<String> named = new LinkedHashSet<>();
            question.evidence().forEach(reference -> named.addAll(EvidenceIds.normalise(reference)));
            question.unresolved().forEach(reference -> named.addAll(EvidenceIds.normalise(reference)));
            Set<String> present = new LinkedHashSet<>(named);
            present.retainAll(turns);
            if (present.isEmpty()) {
                excluded.add(new Excluded(
                        question.id(), "no evidence turn in its conversation (evidence " + question.evidence() + ")"));
                continue;
            }
            if (present.size() < named.size()) {
                partlyMissing++;
            }
            probes.add(new Probe(question, tags.get(question.conversation()), present));
        }
        data.withoutEvidence().forEach(q -> excluded.add(new Excluded(q.id(), "no evidence")));
        return new RetrievalCorpus(documents, diaIds, probes, excluded, partlyMissing);
    }
}
