package dev.engram.writer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DocumentPipeline#groups}: how a batch's documents are cut into groups by their chunk counts. */
class DocumentGroupsTest {

    @Test
    void consecutiveItemsFillAGroupUpToTheLimitAndTheRestStartTheNext() {
        assertThat(DocumentPipeline.groups(List.of(3, 4, 3, 5, 1, 1), n -> n, 10))
                .containsExactly(List.of(3, 4, 3), List.of(5, 1, 1));
    }

    @Test
    void anItemOverTheLimitIsAGroupOfItsOwnAndNeverSplit() {
        assertThat(DocumentPipeline.groups(List.of(2, 25, 2, 2), n -> n, 10))
                .containsExactly(List.of(2), List.of(25), List.of(2, 2));
    }

    @Test
    void aLimitOfOneMakesEveryItemAGroupAndNothingMakesNoGroup() {
        assertThat(DocumentPipeline.groups(List.of(1, 1, 1), n -> n, 1))
                .containsExactly(List.of(1), List.of(1), List.of(1));
        assertThat(DocumentPipeline.groups(List.<Integer>of(), n -> n, 1)).isEmpty();
    }

    @Test
    void theGroupsCanBeChangedAsTheStagesDropDocuments() {
        List<List<Integer>> groups = DocumentPipeline.groups(List.of(1, 1), n -> n, 5);
        groups.get(0).removeIf(n -> n == 1);
        assertThat(groups.get(0)).isEmpty();
    }
}
