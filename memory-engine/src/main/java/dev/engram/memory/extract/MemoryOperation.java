package dev.engram.memory.extract;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One change an extractor proposes; a closed set, so callers {@code switch} over it exhaustively.
 *
 * <p>Every operation names the turns it came from ({@link #sourceRefs()}, at least one). {@link Update}, {@link Extend}
 * and {@link Duplicate} also name the known memory they concern ({@link #knownRef()}).
 */
public sealed interface MemoryOperation {

    /** The refs of the turns this operation came from, at least one, without repeats. */
    List<String> sourceRefs();

    /** The known memory this operation concerns, or {@code null} for {@link Add}. */
    String knownRef();

    /**
     * A new fact.
     *
     * @param memory the fact, one self-contained statement
     * @param isStatic a long-lived trait (where someone lives, what they like) rather than an episode
     * @param eventDates the days the fact happened or refers to, in order (a month or a year as its first day)
     * @param sourceRefs the turns it came from
     */
    record Add(String memory, boolean isStatic, List<LocalDate> eventDates, List<String> sourceRefs)
            implements MemoryOperation {

        public Add {
            memory = requireText(memory);
            eventDates = dates(eventDates);
            sourceRefs = refs(sourceRefs);
        }

        @Override
        public String knownRef() {
            return null;
        }
    }

    /**
     * A newer fact that supersedes a known one (she moved: the old residence is no longer true); the caller makes it
     * the known memory's next version.
     *
     * @param knownRef the superseded memory
     * @param memory the new fact
     * @param isStatic a long-lived trait rather than an episode
     * @param eventDates the days the fact refers to
     * @param sourceRefs the turns it came from
     */
    record Update(String knownRef, String memory, boolean isStatic, List<LocalDate> eventDates, List<String> sourceRefs)
            implements MemoryOperation {

        public Update {
            knownRef = requireRef(knownRef);
            memory = requireText(memory);
            eventDates = dates(eventDates);
            sourceRefs = refs(sourceRefs);
        }
    }

    /**
     * A fact that adds detail to a known one; both stay valid and the caller relates them.
     *
     * @param knownRef the memory extended
     * @param memory the new, more detailed fact
     * @param isStatic a long-lived trait rather than an episode
     * @param eventDates the days the fact refers to
     * @param sourceRefs the turns it came from
     */
    record Extend(String knownRef, String memory, boolean isStatic, List<LocalDate> eventDates, List<String> sourceRefs)
            implements MemoryOperation {

        public Extend {
            knownRef = requireRef(knownRef);
            memory = requireText(memory);
            eventDates = dates(eventDates);
            sourceRefs = refs(sourceRefs);
        }
    }

    /**
     * The same fact as a known memory, said again; the caller counts the extra source and stores no new text.
     *
     * @param knownRef the memory said again
     * @param sourceRefs the turns that said it
     */
    record Duplicate(String knownRef, List<String> sourceRefs) implements MemoryOperation {

        public Duplicate {
            knownRef = requireRef(knownRef);
            sourceRefs = refs(sourceRefs);
        }
    }

    private static String requireText(String memory) {
        if (memory == null || memory.isBlank()) {
            throw new IllegalArgumentException("memory text is required");
        }
        return memory.strip();
    }

    private static String requireRef(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("knownRef is required");
        }
        return ref;
    }

    private static List<LocalDate> dates(List<LocalDate> dates) {
        return dates == null ? List.of() : dates.stream().distinct().sorted().toList();
    }

    private static List<String> refs(List<String> refs) {
        Objects.requireNonNull(refs, "sourceRefs");
        List<String> distinct = refs.stream().distinct().toList();
        if (distinct.isEmpty() || distinct.stream().anyMatch(ref -> ref == null || ref.isBlank())) {
            throw new IllegalArgumentException("sourceRefs must name at least one turn and no blank ref");
        }
        return distinct;
    }
}
