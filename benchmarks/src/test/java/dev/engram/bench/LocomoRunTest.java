package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocomoRunTest {

    private static final LocomoFeed FEED = LocomoFeed.of(LocomoFeedTest.conversation("c"), "r");

    @Test
    void waitsUntilAJobNamesTheLastTurnSent() {
        List<LocomoRun.Sent> sent = List.of(new LocomoRun.Sent(FEED, "doc-c", 2, null));

        assertThat(LocomoRun.lastTurnsMissing(sent, List.of())).containsExactly("c");
        assertThat(LocomoRun.lastTurnsMissing(
                        sent, List.of(LocomoScoreTest.job(1, "done", "offline", List.of(0, 1, 2), 0, 1))))
                .containsExactly("c");
        assertThat(LocomoRun.lastTurnsMissing(
                        sent,
                        List.of(
                                LocomoScoreTest.job(1, "done", "offline", List.of(0, 1, 2), 0, 1),
                                LocomoScoreTest.job(2, "pending", null, List.of(3, 4), 2, 2))))
                .isEmpty();
    }

    @Test
    void aConversationCutShortIsAwaitedUpToItsLastAcceptedSession() {
        List<LocomoRun.Sent> sent = List.of(new LocomoRun.Sent(FEED, "doc-c", 1, "session 2: HTTP 500"));

        assertThat(LocomoRun.lastTurnsMissing(
                        sent, List.of(LocomoScoreTest.job(1, "done", "offline", List.of(0, 1, 2), 0, 1))))
                .isEmpty();
        assertThat(sent.getFirst().complete()).isFalse();
    }

    @Test
    void documentJobsNamingNoTurnsAreNotWaitedForByTurn() {
        List<LocomoRun.Sent> sent = List.of(new LocomoRun.Sent(FEED, "doc-c", 2, null));

        assertThat(LocomoRun.lastTurnsMissing(sent, List.of(LocomoScoreTest.job(1, "running", null, List.of(), 0, 0))))
                .isEmpty();
    }
}
