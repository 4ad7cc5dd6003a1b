package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic lines in the shape of the eval-data job files; none of LoCoMo's text. */
class LocomoDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String turnLine(String conversation, int session, int turn, String speaker, String text) {
        String date = "2020-01-0" + session + "T09:30:00";
        return JSON.createObjectNode()
                .put("customId", conversation + "_D" + session + "-" + turn)
                .put("containerTag", conversation)
                .put("content", "[9:30 am on " + session + " Jan, 2020] " + speaker + ": " + text)
                .set(
                        "metadata",
                        JSON.createObjectNode()
                                .put("session", session)
                                .put("date", date)
                                .put("speaker", speaker)
                                .put("diaId", "D" + session + ":" + turn)
                                .put("turn", turn))
                .toString();
    }

    static String questionLine(
            String id, String conversation, int category, List<String> evidence, List<String> audited) {
        var node = JSON.createObjectNode()
                .put("queryId", id)
                .put("containerTag", conversation)
                .put("question", "synthetic question " + id)
                .put("category", category)
                .put("adversarial", category == 5);
        evidence.forEach(node.putArray("evidence")::add);
        if (audited != null) {
            audited.forEach(node.putArray("evidenceAudited")::add);
        }
        return node.toString();
    }

    private static JsonNode json(String line) throws IOException {
        return JSON.readTree(line);
    }

    @Test
    void aTurnLosesItsDateAndSpeakerPrefix() throws IOException {
        LocomoData.Turn turn = LocomoData.turn(json(turnLine("c-1", 2, 3, "Ann", "I bake: bread and cake.")));

        assertThat(turn.customId()).isEqualTo("c-1_D2-3");
        assertThat(turn.conversation()).isEqualTo("c-1");
        assertThat(turn.session()).isEqualTo(2);
        assertThat(turn.turn()).isEqualTo(3);
        assertThat(turn.speaker()).isEqualTo("Ann");
        assertThat(turn.date()).isEqualTo(LocalDateTime.of(2020, 1, 2, 9, 30));
        assertThat(turn.text()).isEqualTo("I bake: bread and cake.");
    }

    @Test
    void contentWithoutThePrefixIsKeptWhole() {
        assertThat(LocomoData.withoutPrefix("plain words", "Ann")).isEqualTo("plain words");
        assertThat(LocomoData.withoutPrefix("[a date] Bob: hi", "Ann")).isEqualTo("[a date] Bob: hi");
        assertThat(LocomoData.withoutPrefix("Ann: hi", "Ann")).isEqualTo("hi");
    }

    @Test
    void adversarialAndEvidenceLessQuestionsAreNotAnswerable() throws IOException {
        assertThat(LocomoData.answerable(json(questionLine("q1", "c", 5, List.of("c_D1-1"), null))))
                .isEmpty();
        assertThat(LocomoData.answerable(json(questionLine("q2", "c", 4, List.of(), null))))
                .isEmpty();
        assertThat(LocomoData.answerable(json(questionLine("q3", "c", 9, List.of("c_D1-1"), null))))
                .isEmpty();

        LocomoData.Question question = LocomoData.answerable(
                        json(questionLine("q4", "c", 1, List.of("c_D1-1", "c_D2-1", "c_D1-1"), null)))
                .orElseThrow();
        assertThat(question.category()).isEqualTo(LocomoData.Category.MULTI_HOP);
        assertThat(question.evidence()).containsExactly("c_D1-1", "c_D2-1");
    }

    @Test
    void auditedEvidenceReplacesTheOriginal() throws IOException {
        LocomoData.Question question = LocomoData.answerable(
                        json(questionLine("q", "c", 2, List.of("c_D1-1"), List.of("c_D1-2"))))
                .orElseThrow();

        assertThat(question.category()).isEqualTo(LocomoData.Category.TEMPORAL);
        assertThat(question.evidence()).containsExactly("c_D1-2");
        assertThat(LocomoData.answerable(json(questionLine("q", "c", 2, List.of("c_D1-1"), List.of()))))
                .as("an audit that removed all evidence leaves the question unanswerable")
                .isEmpty();
    }

    @Test
    void turnsAreGroupedIntoConversationsAndOrderedSessions() {
        List<LocomoData.Turn> turns = List.of(
                turn("b", 2, 1), turn("a", 2, 2), turn("a", 1, 2), turn("a", 2, 1), turn("a", 1, 1), turn("b", 1, 1));

        List<LocomoData.Conversation> conversations = LocomoData.conversations(turns);

        assertThat(conversations).extracting(LocomoData.Conversation::id).containsExactly("b", "a");
        LocomoData.Conversation a = conversations.get(1);
        assertThat(a.sessions()).extracting(LocomoData.Session::number).containsExactly(1, 2);
        assertThat(a.turns())
                .extracting(LocomoData.Turn::customId)
                .containsExactly("a_D1-1", "a_D1-2", "a_D2-1", "a_D2-2");
    }

    @Test
    void loadsBothFilesAndTakesTheFirstConversations(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("jobs"));
        Files.write(
                dir.resolve(LocomoData.DOCUMENTS),
                List.of(
                        turnLine("x", 1, 1, "Ann", "one"),
                        turnLine("x", 1, 2, "Bob", "two"),
                        "",
                        turnLine("y", 1, 1, "Cy", "three")));
        Files.write(
                dir.resolve(LocomoData.QUERIES),
                List.of(
                        questionLine("x_q0", "x", 4, List.of("x_D1-2"), null),
                        questionLine("x_q1", "x", 5, List.of("x_D1-1"), null),
                        questionLine("y_q0", "y", 3, List.of("y_D1-1"), null)));

        LocomoData data = LocomoData.load(dir);
        LocomoData first = data.first(1);

        assertThat(data.conversations()).hasSize(2);
        assertThat(data.turns()).hasSize(3);
        assertThat(data.questions()).extracting(LocomoData.Question::id).containsExactly("x_q0", "y_q0");
        assertThat(first.conversations())
                .extracting(LocomoData.Conversation::id)
                .containsExactly("x");
        assertThat(first.questions()).extracting(LocomoData.Question::id).containsExactly("x_q0");
        assertThat(data.first(0)).isSameAs(data);
        assertThat(data.first(5)).isSameAs(data);
    }

    @Test
    void questionsKeepTheirTextAndUnresolvedEvidenceAndEvidenceLessOnesAreCounted(@TempDir Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("jobs"));
        Files.write(dir.resolve(LocomoData.DOCUMENTS), List.of(turnLine("x", 1, 1, "Ann", "one")));
        var unresolved = (com.fasterxml.jackson.databind.node.ObjectNode)
                json(questionLine("x_q0", "x", 4, List.of("x_D1-1"), null));
        unresolved.putArray("unresolvedEvidence").add("D7:7");
        Files.write(
                dir.resolve(LocomoData.QUERIES),
                List.of(
                        unresolved.toString(),
                        questionLine("x_q1", "x", 2, List.of(), null),
                        questionLine("x_q2", "x", 5, List.of(), null)));

        LocomoData data = LocomoData.load(dir);

        LocomoData.Question question = data.questions().getFirst();
        assertThat(question.text()).isEqualTo("synthetic question x_q0");
        assertThat(question.unresolved()).containsExactly("D7:7");
        assertThat(data.withoutEvidence()).containsExactly(new LocomoData.Dropped("x_q1", "x"));
        assertThat(data.first(1).withoutEvidence()).hasSize(1);
    }

    @Test
    void aMissingFileOrABadLineIsNamed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> LocomoData.load(dir))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("locomo.documents.jsonl");

        Files.createDirectories(dir.resolve("jobs"));
        Files.write(dir.resolve(LocomoData.DOCUMENTS), List.of(turnLine("x", 1, 1, "Ann", "one"), "{\"customId\":1}"));
        Files.write(dir.resolve(LocomoData.QUERIES), List.of());
        assertThatThrownBy(() -> LocomoData.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    private static LocomoData.Turn turn(String conversation, int session, int turn) {
        return new LocomoData.Turn(
                conversation + "_D" + session + "-" + turn,
                conversation,
                session,
                turn,
                "S",
                LocalDateTime.of(2020, 1, session, 10, 0),
                "text " + turn);
    }
}
