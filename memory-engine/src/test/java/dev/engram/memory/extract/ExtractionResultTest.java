package dev.engram.memory.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.engram.memory.extract.MemoryOperation.Add;
import dev.engram.memory.extract.MemoryOperation.Duplicate;
import dev.engram.memory.extract.MemoryOperation.Extend;
import dev.engram.memory.extract.MemoryOperation.Update;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractionResultTest {

    private static final Instant DAY = Instant.parse("2024-01-10T08:00:00Z");
    private static final ExtractionRequest REQUEST = new ExtractionRequest(
            "tag",
            null,
            DAY,
            List.of(SourceTurn.turn("msg-1", "Ana", "user", null, "text"), SourceTurn.document("chunk-2", "text")),
            List.of(new KnownMemory("mem-a", "Ana lives in Oslo.", true, null)));

    @Test
    void aResultNamingOnlyTheRequestsRefsIsValid() throws Exception {
        ExtractionResult result = new ExtractionResult(List.of(
                new Add("Ana likes tea.", true, List.of(), List.of("msg-1")),
                new Update("mem-a", "Ana lives in Bergen.", true, List.of(), List.of("chunk-2")),
                new Extend("mem-a", "Ana lives in Oslo with Bo.", true, List.of(), List.of("msg-1")),
                new Duplicate("mem-a", List.of("msg-1", "chunk-2"))));

        assertThat(result.problems(REQUEST)).isEmpty();
        assertThat(result.validate(REQUEST)).isSameAs(result);
    }

    @Test
    void unknownMemoriesUnknownTurnsAndASecondUpdateAreRejectedByRefNotByText() {
        ExtractionResult result = new ExtractionResult(List.of(
                new Update("mem-zz", "Ana lives in Bergen.", true, List.of(), List.of("msg-1")),
                new Add("Ana likes tea.", true, List.of(), List.of("msg-9")),
                new Update("mem-a", "Ana lives in Bergen.", true, List.of(), List.of("msg-1")),
                new Update("mem-a", "Ana lives in Tromsø.", true, List.of(), List.of("msg-1"))));

        assertThat(result.problems(REQUEST))
                .containsExactly(
                        "operation 0 names unknown memory 'mem-zz'",
                        "operation 1 names unknown turn 'msg-9'",
                        "operation 3 updates memory 'mem-a' a second time");
        assertThatThrownBy(() -> result.validate(REQUEST))
                .asInstanceOf(type(ExtractionFailedException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(ExtractionFailedException.Reason.INVALID_RESULT);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("mem-zz").doesNotContain("Bergen", "tea");
                });
    }

    @Test
    void operationsRequireTextSourcesAndTargets() {
        assertThatThrownBy(() -> new Add(" ", false, List.of(), List.of("t")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Add("x", false, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Duplicate(null, List.of("t"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Add("x", false, null, List.of("t")).knownRef()).isNull();
    }

    @Test
    void operationsSortDatesAndDropRepeatedDatesAndSources() {
        Add add = new Add(
                " Ana ran. ",
                false,
                List.of(LocalDate.of(2024, 2, 1), LocalDate.of(2023, 1, 1), LocalDate.of(2024, 2, 1)),
                List.of("b", "a", "b"));

        assertThat(add.memory()).isEqualTo("Ana ran.");
        assertThat(add.eventDates()).containsExactly(LocalDate.of(2023, 1, 1), LocalDate.of(2024, 2, 1));
        assertThat(add.sourceRefs()).containsExactly("b", "a");
    }

    @Test
    void aRequestNeedsATagADateAndTurnsWithUniqueRefs() {
        List<SourceTurn> turns = List.of(SourceTurn.document("d", "text"));

        assertThatThrownBy(() -> new ExtractionRequest(" ", null, DAY, turns, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExtractionRequest("tag", null, null, turns, List.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ExtractionRequest("tag", null, DAY, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExtractionRequest(
                        "tag", null, DAY, List.of(SourceTurn.document("d", "a"), SourceTurn.document("d", "b")), null))
                .hasMessageContaining("duplicate turn ref: d");
        assertThatThrownBy(() -> new ExtractionRequest(
                        "tag",
                        null,
                        DAY,
                        turns,
                        List.of(new KnownMemory("k", "a", false, null), new KnownMemory("k", "b", false, null))))
                .hasMessageContaining("duplicate known memory ref: k");
    }

    @Test
    void aTurnWithoutADateIsDatedByTheDocument() {
        SourceTurn dated = SourceTurn.turn("a", null, "user", Instant.parse("2023-12-31T23:30:00Z"), "x");
        SourceTurn undated = SourceTurn.document("b", "x");
        ExtractionRequest request = new ExtractionRequest("tag", " ", DAY, List.of(dated, undated), null);

        assertThat(request.dayOf(dated)).isEqualTo(LocalDate.of(2023, 12, 31));
        assertThat(request.dayOf(undated)).isEqualTo(LocalDate.of(2024, 1, 10));
        assertThat(request.entityContext()).isNull();
        assertThat(request.known()).isEmpty();
        assertThat(request.turnRefs()).containsExactly("a", "b");
    }
}
