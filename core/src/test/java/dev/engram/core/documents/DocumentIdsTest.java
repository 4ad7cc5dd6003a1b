package dev.engram.core.documents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentIdsTest {

    @Test
    void conversationIdsAreStableAndShapedLikeRandomIds() {
        String id = DocumentIds.forConversation("org_default", "user_1", "conv-1");

        assertThat(id).isEqualTo(DocumentIds.forConversation("org_default", "user_1", "conv-1"));
        assertThat(id).hasSameSizeAs(DocumentIds.next()).matches("[0-9A-Za-z]{22}");
    }

    @Test
    void conversationIdsDifferByEveryPart() {
        String id = DocumentIds.forConversation("org_default", "user_1", "conv-1");

        assertThat(DocumentIds.forConversation("org_other", "user_1", "conv-1")).isNotEqualTo(id);
        assertThat(DocumentIds.forConversation("org_default", "user_2", "conv-1"))
                .isNotEqualTo(id);
        assertThat(DocumentIds.forConversation("org_default", "user_1", "conv-2"))
                .isNotEqualTo(id);
    }

    @Test
    void partsAreNotConfusedByConcatenation() {
        assertThat(DocumentIds.derived("ab", "c")).isNotEqualTo(DocumentIds.derived("a", "bc"));
    }
}
