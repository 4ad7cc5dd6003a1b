package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocomoFeedTest {

    /** Two sessions: three turns, then two. */
    static LocomoData.Conversation conversation(String id) {
        return new LocomoData.Conversation(
                id,
                List.of(
                        new LocomoData.Session(
                                1,
                                List.of(
                                        turn(id, 1, 1, "Ann", "hello there"),
                                        turn(id, 1, 2, "Bob", "hi Ann"),
                                        turn(id, 1, 3, "Ann", "I adopted a cat"))),
                        new LocomoData.Session(
                                2, List.of(turn(id, 2, 1, "Bob", "how is the cat?"), turn(id, 2, 2, "Ann", "fine")))));
    }

    static LocomoData.Turn turn(String conversation, int session, int turn, String speaker, String text) {
        return new LocomoData.Turn(
                conversation + "_D" + session + "-" + turn,
                conversation,
                session,
                turn,
                speaker,
                LocalDateTime.of(2021, 3, session, 18, 5),
                text);
    }

    @Test
    void eachSessionIsOneRequestCarryingEveryTurnSoFar() {
        LocomoFeed feed = LocomoFeed.of(conversation("c-1"), "r1");

        assertThat(feed.conversationId()).isEqualTo("c-1");
        assertThat(feed.containerTag()).isEqualTo("locomo-r1-c-1");
        assertThat(feed.requestConversationId()).isEqualTo("locomo-r1-c-1");
        assertThat(feed.requests()).extracting(LocomoFeed.Request::session).containsExactly(1, 2);
        assertThat(feed.requests().get(0).messages()).hasSize(3);
        assertThat(feed.requests().get(0).newTurns()).isEqualTo(3);
        assertThat(feed.requests().get(1).messages()).hasSize(5);
        assertThat(feed.requests().get(1).newTurns()).isEqualTo(2);
        assertThat(feed.requests().get(1).messages().subList(0, 3))
                .isEqualTo(feed.requests().get(0).messages());
        assertThat(feed.turnCount()).isEqualTo(5);
    }

    @Test
    void aTurnIsAUserMessageNamedAfterItsSpeakerDatedInUtc() {
        LocomoFeed.Message message = LocomoFeed.message(turn("c", 1, 1, "Ann", "hello there"));

        assertThat(message.role()).isEqualTo("user");
        assertThat(message.name()).isEqualTo("Ann");
        assertThat(message.content()).isEqualTo("hello there");
        assertThat(message.createdAt()).isEqualTo("2021-03-01T18:05:00Z");
    }

    @Test
    void positionsMapBackToTurns() {
        LocomoFeed feed = LocomoFeed.of(conversation("c"), "r");

        assertThat(feed.customIdAt(0)).contains("c_D1-1");
        assertThat(feed.customIdAt(2)).contains("c_D1-3");
        assertThat(feed.customIdAt(3)).contains("c_D2-1");
        assertThat(feed.customIdAt(4)).contains("c_D2-2");
        assertThat(feed.customIdAt(5)).isEmpty();
        assertThat(feed.customIdAt(-1)).isEmpty();
    }
}
