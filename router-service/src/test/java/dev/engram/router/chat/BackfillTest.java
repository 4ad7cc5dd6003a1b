package dev.engram.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.events.ConversationMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackfillTest {

    private static final ConversationMessage U1 = turn("user", "I am planning a trip.");
    private static final ConversationMessage A1 = turn("assistant", "Where to?");
    private static final ConversationMessage U2 = turn("user", "Japan.");
    private static final ConversationMessage A2 = turn("assistant", "Lovely.");
    private static final ConversationMessage U3 = turn("user", "Which city first?");

    @Test
    void theNewTurnAloneGetsEveryStoredTurn() {
        assertThat(Backfill.of(List.of(U1, A1, U2, A2), List.of(U3)).history()).containsExactly(U1, A1, U2, A2);
    }

    @Test
    void aResentHistoryGetsNothing() {
        assertThat(Backfill.of(List.of(U1, A1), List.of(U1, A1, U2)).history()).isEmpty();
        assertThat(Backfill.of(List.of(U1, A1), List.of(turn("user", "  I am planning a trip.\n"), U2))
                        .history())
                .isEmpty();
    }

    @Test
    void aClientThatRewroteItsHistoryGetsNothing() {
        ConversationMessage edited = turn("user", "Korea.");
        assertThat(Backfill.of(List.of(U1, A1, U2, A2), List.of(U1, A1, edited, A2, U3))
                        .history())
                .isEmpty();
    }

    @Test
    void aStoredSystemTurnDoesNotHideAResentHistory() {
        ConversationMessage system = turn("system", "Be brief.");
        ConversationMessage edited = turn("user", "Korea.");
        assertThat(Backfill.of(List.of(system, U1, A1, U2, A2), List.of(U1, A1, edited, A2, U3))
                        .history())
                .isEmpty();
    }

    @Test
    void turnsTheClientRepeatsAreNotAddedAgain() {
        assertThat(Backfill.of(List.of(U1, A1, U2, A2), List.of(U2, A2, U3)).history())
                .containsExactly(U1, A1);
        assertThat(Backfill.of(List.of(U1, A1, U2, A2), List.of(A2, U3)).history())
                .containsExactly(U1, A1, U2);
    }

    @Test
    void noStoredTurnsGetNothing() {
        assertThat(Backfill.of(List.of(), List.of(U3)).history()).isEmpty();
    }

    private static ConversationMessage turn(String role, String content) {
        return new ConversationMessage(role, content, null, null);
    }
}
