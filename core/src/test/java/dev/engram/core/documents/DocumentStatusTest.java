package dev.engram.core.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DocumentStatusTest {

    @Test
    void statusOnlyMovesForwardAndNeverLeavesATerminalStatus() {
        assertThat(DocumentStatus.QUEUED.canAdvanceTo(DocumentStatus.EXTRACTING))
                .isTrue();
        assertThat(DocumentStatus.QUEUED.canAdvanceTo(DocumentStatus.DONE)).isTrue();
        assertThat(DocumentStatus.EMBEDDING.canAdvanceTo(DocumentStatus.FAILED)).isTrue();
        assertThat(DocumentStatus.EMBEDDING.canAdvanceTo(DocumentStatus.CHUNKING))
                .isFalse();
        assertThat(DocumentStatus.QUEUED.canAdvanceTo(DocumentStatus.QUEUED)).isFalse();
        assertThat(DocumentStatus.DONE.canAdvanceTo(DocumentStatus.FAILED)).isFalse();
        assertThat(DocumentStatus.FAILED.canAdvanceTo(DocumentStatus.DONE)).isFalse();
    }

    @Test
    void wireNamesAreTheSupermemoryStatusValues() {
        assertThat(DocumentStatus.INDEXING.wireName()).isEqualTo("indexing");
        assertThat(DocumentStatus.fromWire("done")).isEqualTo(DocumentStatus.DONE);
        assertThatThrownBy(() -> DocumentStatus.fromWire("DONE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containerTagRulesFollowTheSdkDocumentation() {
        assertThat(ContainerTags.problem("user_42:project.a-b")).isEmpty();
        assertThat(ContainerTags.problem("bad tag!")).isPresent();
        assertThat(ContainerTags.problem("")).isPresent();
        assertThat(ContainerTags.problem("x".repeat(100))).isEmpty();
        assertThat(ContainerTags.problem("x".repeat(101))).get().asString().contains("100");
    }
}
