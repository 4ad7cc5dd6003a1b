package dev.engram.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ShutdownSequenceTest {

    private final List<String> stopped = new CopyOnWriteArrayList<>();

    @Test
    void stopsTheLastStartedFirst() {
        ShutdownSequence shutdown = new ShutdownSequence();
        for (String name : List.of("postgres", "kafka", "services", "gateway")) {
            shutdown.add(name, () -> stopped.add(name));
        }

        shutdown.close();

        assertThat(stopped).containsExactly("gateway", "services", "kafka", "postgres");
    }

    @Test
    void keepsStoppingTheRestWhenOneFailsToStop() {
        ShutdownSequence shutdown = new ShutdownSequence();
        shutdown.add("postgres", () -> stopped.add("postgres"));
        shutdown.add("kafka", () -> {
            throw new IllegalStateException("stuck");
        });
        shutdown.add("gateway", () -> stopped.add("gateway"));

        shutdown.close();

        assertThat(stopped).containsExactly("gateway", "postgres");
    }

    @Test
    void stopsAComponentAddedAfterClosingBeganAtOnceAndSaysSo() {
        ShutdownSequence shutdown = new ShutdownSequence();
        shutdown.close();

        assertThatThrownBy(() -> shutdown.add("late", () -> stopped.add("late")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("late");
        assertThat(stopped).containsExactly("late");
        assertThat(shutdown.isClosing()).isTrue();
    }

    @Test
    void closingTwiceStopsEachComponentOnce() {
        ShutdownSequence shutdown = new ShutdownSequence();
        shutdown.add("kafka", () -> stopped.add("kafka"));

        shutdown.close();
        shutdown.close();

        assertThat(stopped).containsExactly("kafka");
    }
}
