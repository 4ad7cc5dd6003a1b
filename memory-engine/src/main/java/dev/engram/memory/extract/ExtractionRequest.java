package dev.engram.memory.extract;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to extract memories from, and what is already known.
 *
 * @param containerTag the scope the memories will belong to
 * @param entityContext the container tag's guidance for extraction (who the memories are about, what matters), or
 *     {@code null}
 * @param documentDate the document's or message's date; relative dates ("yesterday") in turns without a date of their
 *     own resolve against it
 * @param turns the source text, in order; at least one, refs unique
 * @param known existing similar memories, most similar first; refs unique
 */
public record ExtractionRequest(
        String containerTag,
        String entityContext,
        Instant documentDate,
        List<SourceTurn> turns,
        List<KnownMemory> known) {

    public ExtractionRequest {
        if (containerTag == null || containerTag.isBlank()) {
            throw new IllegalArgumentException("containerTag is required");
        }
        Objects.requireNonNull(documentDate, "documentDate");
        entityContext = entityContext == null || entityContext.isBlank() ? null : entityContext;
        turns = List.copyOf(Objects.requireNonNull(turns, "turns"));
        known = known == null ? List.of() : List.copyOf(known);
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("at least one turn is required");
        }
        requireUnique(turns.stream().map(SourceTurn::ref).toList(), "turn");
        requireUnique(known.stream().map(KnownMemory::ref).toList(), "known memory");
    }

    private static void requireUnique(List<String> refs, String what) {
        Set<String> seen = new HashSet<>();
        for (String ref : refs) {
            if (!seen.add(ref)) {
                throw new IllegalArgumentException("duplicate " + what + " ref: " + ref);
            }
        }
    }

    /** When {@code turn} was said: its own date, else {@link #documentDate()}. */
    public Instant dateOf(SourceTurn turn) {
        return turn.date() != null ? turn.date() : documentDate;
    }

    /** The calendar day (UTC) relative dates in {@code turn} resolve against. */
    public LocalDate dayOf(SourceTurn turn) {
        return LocalDate.ofInstant(dateOf(turn), ZoneOffset.UTC);
    }

    /** The refs of {@link #turns()}, in order. */
    public Set<String> turnRefs() {
        return orderedRefs(turns.stream().map(SourceTurn::ref).toList());
    }

    /** The refs of {@link #known()}, in order. */
    public Set<String> knownRefs() {
        return orderedRefs(known.stream().map(KnownMemory::ref).toList());
    }

    private static Set<String> orderedRefs(List<String> refs) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(refs));
    }
}
