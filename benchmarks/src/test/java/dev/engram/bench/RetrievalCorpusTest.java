package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.engram.bench.CorpusGenerator.Document;
import dev.engram.core.documents.ContainerTags;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A made-up two-conversation LoCoMo, none of its text. */
class RetrievalCorpusTest {

    private static final LocomoData DATA = new LocomoData(
            LocomoData.conversations(List.of(
                    turn("c-1", 1, 1, "Ann", "I adopted a cat."),
                    turn("c-1", 1, 2, "Bob", "Nice! [shares an image: a photo of a cat]"),
                    turn("c-1", 2, 1, "Ann", "The cat sleeps a lot."),
                    turn("c-2", 1, 1, "Cy", "I sail."))),
            List.of(
                    question("c-1_q0", "c-1", LocomoData.Category.SINGLE_HOP, List.of("c-1_D1-1"), List.of()),
                    question("c-1_q1", "c-1", LocomoData.Category.MULTI_HOP, List.of("D1:2; D2:1"), List.of()),
                    question("c-1_q2", "c-1", LocomoData.Category.TEMPORAL, List.of("c-1_D9-9"), List.of()),
                    question("c-1_q3", "c-1", LocomoData.Category.TEMPORAL, List.of("c-1_D2-1"), List.of("D4:40")),
                    question("c-2_q0", "c-2", LocomoData.Category.OPEN_DOMAIN, List.of("c-2_D1-01"), List.of())),
            List.of(new LocomoData.Dropped("c-2_q1", "c-2")));

    private static final RetrievalCorpus CORPUS = RetrievalCorpus.of(DATA, "run7");

    @Test
    void everyTurnIsADocumentInItsConversationsTag() {
        assertThat(CORPUS.documents())
                .extracting(Document::customId, Document::containerTag)
                .containsExactly(
                        tuple("run7-c-1-D1:1", "run7-conv0"),
                        tuple("run7-c-1-D1:2", "run7-conv0"),
                        tuple("run7-c-1-D2:1", "run7-conv0"),
                        tuple("run7-c-2-D1:1", "run7-conv1"));
        assertThat(CORPUS.documents())
                .allSatisfy(document ->
                        assertThat(ContainerTags.problem(document.customId())).isEmpty());
        assertThat(CORPUS.diaIds()).containsEntry("run7-c-1-D2:1", "D2:1").hasSize(4);
    }

    @Test
    void aDocumentCarriesTheSessionDateTheSpeakerAndTheCaption() {
        Document document = CORPUS.documents().get(1);

        assertThat(document.content())
                .isEqualTo("9:30 AM on 1 March, 2021: Bob: Nice! [shares an image: a photo of a cat]");
        assertThat(document.metadata()).isEqualTo(Map.of("dia_id", "D1:2", "session", "1"));
    }

    @Test
    void aCustomIdLosesCharactersTheApiDoesNotAllow() {
        assertThat(RetrievalCorpus.customId("r", "conv 26/x", "D1:3")).isEqualTo("r-conv_26_x-D1:3");
    }

    @Test
    void questionsAreAskedInTheirConversationsTagWithNormalisedEvidence() {
        assertThat(CORPUS.probes())
                .extracting(p -> p.question().id(), RetrievalCorpus.Probe::containerTag)
                .containsExactly(
                        tuple("c-1_q0", "run7-conv0"),
                        tuple("c-1_q1", "run7-conv0"),
                        tuple("c-1_q3", "run7-conv0"),
                        tuple("c-2_q0", "run7-conv1"));
        assertThat(CORPUS.probes().get(1).evidence()).containsExactlyInAnyOrder("D1:2", "D2:1");
        assertThat(CORPUS.probes().get(3).evidence()).containsExactly("D1:1");
    }

    @Test
    void questionsWithoutEvidenceInTheirConversationAreExcludedAndCounted() {
        assertThat(CORPUS.excluded())
                .extracting(RetrievalCorpus.Excluded::questionId)
                .containsExactly("c-1_q2", "c-2_q1");
        assertThat(CORPUS.excluded().getFirst().reason()).contains("no evidence turn in its conversation");
        assertThat(CORPUS.partlyMissing())
                .as("c-1_q3 names D4:40, which c-1 does not have")
                .isEqualTo(1);
        assertThat(CORPUS.probes().get(2).evidence()).containsExactly("D2:1");
    }

    private static LocomoData.Turn turn(String conversation, int session, int turn, String speaker, String text) {
        return new LocomoData.Turn(
                conversation + "_D" + session + "-" + turn,
                conversation,
                session,
                turn,
                speaker,
                LocalDateTime.of(2021, 3, session, 9, 30),
                text);
    }

    private static LocomoData.Question question(
            String id,
            String conversation,
            LocomoData.Category category,
            List<String> evidence,
            List<String> unresolved) {
        return new LocomoData.Question(id, conversation, category, evidence, "question " + id, unresolved);
    }
}
