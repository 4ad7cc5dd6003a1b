package dev.engram.memory.extract.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.KnownMemory;
import dev.engram.memory.extract.MemoryOperation;
import dev.engram.memory.extract.SourceTurn;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerParserTest {

    private static final Instant DAY = Instant.parse("2024-03-01T10:00:00Z");
    private static final ExtractionPrompt PROMPT = ExtractionPrompt.of(
            new ExtractionRequest(
                    "tag",
                    null,
                    DAY,
                    List.of(
                            SourceTurn.turn("7", null, "user", DAY, "one"),
                            SourceTurn.turn("8", null, "user", DAY, "two")),
                    List.of(
                            new KnownMemory("id-a", "The user lives in Oslo.", true, null),
                            new KnownMemory("id-b", "The user has a cat.", true, null))),
            10);

    private static List<MemoryOperation> parse(String answer) throws MalformedAnswerException {
        return AnswerParser.parse(answer, PROMPT).operations();
    }

    @Test
    void mapsShortIdsToTheCallersRefsWhateverTheirSpelling() throws Exception {
        List<MemoryOperation> operations = parse("{\"memories\":["
                + "{\"action\":\"Update\",\"memory\":\"The user lives in Bergen.\",\"target\":\"M1\",\"sources\":[\"T2\"]},"
                + "{\"action\":\"duplicate\",\"target\":2,\"sources\":[1]}]}");

        assertThat(operations)
                .containsExactly(
                        new MemoryOperation.Update("id-a", "The user lives in Bergen.", false, List.of(), List.of("8")),
                        new MemoryOperation.Duplicate("id-b", List.of("7")));
    }

    @Test
    void acceptsATopLevelArrayASingleObjectAndAnOtherwiseNamedList() throws Exception {
        String item = "{\"action\":\"add\",\"memory\":\"The user likes tea.\",\"sources\":[\"t1\"]}";

        assertThat(parse("[" + item + "]")).hasSize(1);
        assertThat(parse(item)).hasSize(1);
        assertThat(parse("{\"memories\":" + item + "}")).hasSize(1);
        assertThat(parse("{\"facts\":[" + item + "," + item.replace("tea", "coffee") + "]}"))
                .hasSize(2);
    }

    @Test
    void aMissingActionWithoutTargetIsAnAddAndMissingSourcesMeanAllTurns() throws Exception {
        assertThat(parse("{\"memories\":[{\"memory\":\"The user likes tea.\"}]}"))
                .containsExactly(new MemoryOperation.Add("The user likes tea.", false, List.of(), List.of("7", "8")));
    }

    @Test
    void readsStaticFlagsAndDatesLeniently() throws Exception {
        List<MemoryOperation> operations = parse("{\"memories\":[{\"action\":\"add\",\"memory\":\"The user moved.\","
                + "\"static\":\"true\",\"eventDates\":[\"2023-05-07\",\"2022\",\"2021-02\",\"sometime\","
                + "\"2023-05-07T10:00:00Z\"],\"sources\":\"t1\"}]}");

        assertThat(operations)
                .containsExactly(new MemoryOperation.Add(
                        "The user moved.",
                        true,
                        List.of(LocalDate.of(2021, 2, 1), LocalDate.of(2022, 1, 1), LocalDate.of(2023, 5, 7)),
                        List.of("7")));
    }

    @Test
    void skipsNoOpItems() throws Exception {
        assertThat(parse("{\"memories\":[{\"action\":\"none\",\"target\":\"m1\"}]}"))
                .isEmpty();
    }

    @Test
    void rejectsAnUnknownTargetAnUnknownSourceAnUnknownActionAndMissingText() {
        assertThatThrownBy(() -> parse("{\"memories\":[{\"action\":\"extend\",\"memory\":\"x\",\"target\":\"m3\"}]}"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("unknown memory 'm3'");
        assertThatThrownBy(() -> parse("{\"memories\":[{\"action\":\"add\",\"memory\":\"x\",\"sources\":[\"t3\"]}]}"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("unknown turn 't3'");
        assertThatThrownBy(() -> parse("{\"memories\":[{\"action\":\"delete\",\"target\":\"m1\"}]}"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("unknown action 'delete'");
        assertThatThrownBy(() -> parse("{\"memories\":[{\"action\":\"update\",\"target\":\"m1\"}]}"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("no memory text");
        assertThatThrownBy(() -> parse("{\"memories\":[{\"action\":\"update\",\"memory\":\"x\"}]}"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("no target");
    }

    @Test
    void rejectsAnswersWithoutAList() {
        assertThatThrownBy(() -> parse("{}")).isInstanceOf(MalformedAnswerException.class);
        assertThatThrownBy(() -> parse("{\"memories\":\"none\"}")).isInstanceOf(MalformedAnswerException.class);
        assertThatThrownBy(() -> parse("No memories here.")).isInstanceOf(MalformedAnswerException.class);
        assertThatThrownBy(() -> parse("{\"memories\":[\"The user likes tea.\"]}"))
                .isInstanceOf(MalformedAnswerException.class);
    }

    @Test
    void keepsOnlyTheLastOfSeveralUpdatesOfOneMemory() throws Exception {
        List<MemoryOperation> operations = parse(
                "{\"memories\":["
                        + "{\"action\":\"update\",\"memory\":\"The user lives in Bergen.\",\"target\":\"m1\",\"sources\":[\"t1\"]},"
                        + "{\"action\":\"update\",\"memory\":\"The user lives in Tromsø.\",\"target\":\"m1\",\"sources\":[\"t2\"]}]}");

        assertThat(operations)
                .containsExactly(
                        new MemoryOperation.Add("The user lives in Bergen.", false, List.of(), List.of("7")),
                        new MemoryOperation.Update(
                                "id-a", "The user lives in Tromsø.", false, List.of(), List.of("8")));
    }
}
