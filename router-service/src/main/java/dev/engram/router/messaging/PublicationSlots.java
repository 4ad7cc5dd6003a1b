package dev.engram.router.messaging;

import java.util.concurrent.atomic.AtomicInteger;

/** A fixed number of slots for publications waiting on the broker; taken without blocking. Thread-safe. */
final class PublicationSlots {

    private final int capacity;
    private final AtomicInteger taken = new AtomicInteger();

    PublicationSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Takes a slot; {@code false} when all are taken. */
    boolean tryTake() {
        while (true) {
            int current = taken.get();
            if (current >= capacity) {
                return false;
            }
            if (taken.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives a taken slot back. */
    void giveBack() {
        if (taken.decrementAndGet() < 0) {
            taken.incrementAndGet();
            throw new IllegalStateException("a slot was given back that was not taken");
        }
    }

    /** Slots taken now. */
    int taken() {
        return taken.get();
    }
}
