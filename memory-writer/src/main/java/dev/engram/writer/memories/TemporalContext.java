package dev.engram.writer.memories;

import java.time.Instant;
import java.util.List;

/**
 * When a memory's facts happened: the date of the source it came from and the dates of the events it mentions.
 *
 * @param documentDate when the source document was written, or {@code null}
 * @param eventDates dates of events referenced in the memory, possibly none
 */
public record TemporalContext(Instant documentDate, List<Instant> eventDates) {

    /** No dates. */
    public static final TemporalContext NONE = new TemporalContext(null, List.of());

    public TemporalContext {
        eventDates = eventDates == null ? List.of() : List.copyOf(eventDates);
    }

    /** Whether no date is known. */
    public boolean isEmpty() {
        return documentDate == null && eventDates.isEmpty();
    }
}
