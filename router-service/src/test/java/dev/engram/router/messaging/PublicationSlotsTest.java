package dev.engram.router.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublicationSlotsTest {

    @Test
    void refusesPastItsCapacityUntilASlotIsGivenBack() {
        PublicationSlots slots = new PublicationSlots(2);

        assertThat(slots.tryTake()).isTrue();
        assertThat(slots.tryTake()).isTrue();
        assertThat(slots.tryTake()).isFalse();
        slots.giveBack();
        assertThat(slots.tryTake()).isTrue();
        assertThat(slots.taken()).isEqualTo(2);
    }

    @Test
    void neverHandsOutMoreSlotsThanItHasUnderContention() throws Exception {
        PublicationSlots slots = new PublicationSlots(10);
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 1000; i++) {
            pool.submit(() -> {
                if (slots.tryTake()) {
                    granted.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(granted.get()).isEqualTo(10);
        assertThat(slots.taken()).isEqualTo(10);
    }

    @Test
    void aSlotGivenBackTwiceIsABug() {
        PublicationSlots slots = new PublicationSlots(1);
        slots.tryTake();
        slots.giveBack();

        assertThatThrownBy(slots::giveBack).isInstanceOf(IllegalStateException.class);
        assertThat(slots.taken()).isZero();
    }
}
