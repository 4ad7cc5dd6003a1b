package dev.engram.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationTranscriptTest {

    @Test
    void rendersOneTurnPerLineWithDateAndSpeaker() {
        String transcript = ConversationTranscript.render(List.of(
                new ConversationMessage("user", "  I live in Paris. ", "Ana", Instant.parse("2026-11-28T10:00:00Z")),
                new ConversationMessage("assistant", "Noted!", null, null)));

        assertThat(transcript).isEqualTo("[2026-11-28T10:00:00Z] Ana (user): I live in Paris.\nassistant: Noted!");
    }

    @Test
    void anEmptyConversationIsAnEmptyTranscript() {
        assertThat(ConversationTranscript.render(List.of())).isEmpty();
    }
}
