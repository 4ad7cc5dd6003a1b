package dev.engram.memory.extract.offline;

import dev.engram.memory.extract.KnownMemory;
import dev.engram.memory.extract.MemoryOperation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, fact by fact and in order, whether a fact is new, repeats, supersedes or extends a known memory.
 *
 * <ol>
 *   <li>Same {@link Normalizer#key content key} as a known memory: {@link MemoryOperation.Duplicate}; as an earlier
 *       fact of the same request: that fact gains the source.
 *   <li>Same subject and single-valued {@link Slots slot} as a known memory: a different value is an {@link
 *       MemoryOperation.Update} (the most recently updated such memory is the one superseded); the same value with
 *       at least {@value #EXTEND_MIN_NEW_TOKENS} new content words an {@link MemoryOperation.Extend}, else a
 *       duplicate.
 *   <li>Otherwise, against known memories that mention the same subject: if the fact contains at least {@value
 *       #EXTEND_CONTAINMENT} of a memory's content words and adds {@value #EXTEND_MIN_NEW_TOKENS} or more, it extends
 *       it; if the memory already contains {@value #DUPLICATE_CONTAINMENT} of the fact's words, it is a duplicate.
 *   <li>Anything else is an {@link MemoryOperation.Add}.
 * </ol>
 *
 * If several facts of one request update the same memory, the last (the current state) keeps the update and the
 * earlier ones become additions; duplicates of one memory merge into one operation.
 */
final class Consolidator {

    /** New content words a fact must bring to extend a memory rather than repeat it. */
    static final int EXTEND_MIN_NEW_TOKENS = 2;

    /** Share of a memory's content words a fact must contain to extend it. */
    static final double EXTEND_CONTAINMENT = 0.8;

    /** Share of a fact's content words a memory must contain for the fact to repeat it. */
    static final double DUPLICATE_CONTAINMENT = 0.9;

    /**
     * Share of a memory's content words a fact must cover to repeat it: a short fact inside a long memory is part of
     * it, not the same fact.
     */
    static final double DUPLICATE_MIN_COVERAGE = 0.5;

    /** Fewest content words besides the subject for the overlap comparison; shorter texts match too easily. */
    private static final int MIN_OVERLAP_TOKENS = 3;

    /**
     * One fact ready to be consolidated.
     *
     * @param text the memory text
     * @param isStatic a trait rather than an episode
     * @param dates the days it refers to
     * @param sourceRef the turn it came from
     * @param subject who it is about, lower case, or {@code null} when unknown (document text)
     */
    record Fact(String text, boolean isStatic, List<LocalDate> dates, String sourceRef, String subject) {}

    private record Known(KnownMemory memory, int order, String key, Set<String> tokens, Optional<Slots.SlotFact> slot) {

        Instant updatedAt() {
            return memory.updatedAt() == null ? Instant.MIN : memory.updatedAt();
        }
    }

    private enum Kind {
        ADD,
        UPDATE,
        EXTEND,
        DUPLICATE
    }

    /** An operation being assembled; sources grow as facts repeat. */
    private static final class Pending {
        final Fact fact;
        final Kind kind;
        final String knownRef;
        final Set<String> sources = new LinkedHashSet<>();
        boolean demoted;

        Pending(Fact fact, Kind kind, String knownRef) {
            this.fact = fact;
            this.kind = kind;
            this.knownRef = knownRef;
            sources.add(fact.sourceRef());
        }

        MemoryOperation toOperation() {
            List<String> refs = List.copyOf(sources);
            return switch (demoted ? Kind.ADD : kind) {
                case UPDATE -> new MemoryOperation.Update(knownRef, fact.text(), fact.isStatic(), fact.dates(), refs);
                case EXTEND -> new MemoryOperation.Extend(knownRef, fact.text(), fact.isStatic(), fact.dates(), refs);
                case DUPLICATE -> new MemoryOperation.Duplicate(knownRef, refs);
                case ADD -> new MemoryOperation.Add(fact.text(), fact.isStatic(), fact.dates(), refs);
            };
        }
    }

    private Consolidator() {}

    /** The operations for {@code facts}, in the order the facts came, given what is already {@code known}. */
    static List<MemoryOperation> consolidate(List<Fact> facts, List<KnownMemory> known) {
        List<Known> views = new ArrayList<>(known.size());
        for (int i = 0; i < known.size(); i++) {
            KnownMemory memory = known.get(i);
            views.add(new Known(
                    memory,
                    i,
                    Normalizer.key(memory.memory()),
                    Normalizer.contentTokens(memory.memory()),
                    Slots.parse(memory.memory())));
        }
        List<Pending> pending = new ArrayList<>();
        Map<String, Pending> byKey = new HashMap<>();
        Map<String, Pending> duplicatesByRef = new HashMap<>();
        for (Fact fact : facts) {
            String key = Normalizer.key(fact.text());
            if (key.isEmpty()) {
                continue;
            }
            Pending same = byKey.get(key);
            if (same != null) {
                same.sources.add(fact.sourceRef());
                continue;
            }
            Pending decided = decide(fact, key, views);
            if (decided.kind == Kind.DUPLICATE) {
                Pending earlier = duplicatesByRef.get(decided.knownRef);
                if (earlier != null) {
                    earlier.sources.add(fact.sourceRef());
                    byKey.put(key, earlier);
                    continue;
                }
                duplicatesByRef.put(decided.knownRef, decided);
            }
            byKey.put(key, decided);
            pending.add(decided);
        }
        demoteAllButLastUpdate(pending);
        return pending.stream().map(Pending::toOperation).toList();
    }

    private static Pending decide(Fact fact, String key, List<Known> known) {
        for (Known memory : known) {
            if (memory.key().equals(key)) {
                return new Pending(fact, Kind.DUPLICATE, memory.memory().ref());
            }
        }
        Set<String> tokens = Normalizer.contentTokens(fact.text());
        Optional<Slots.SlotFact> slot = Slots.parse(fact.text());
        if (slot.isPresent()) {
            Pending bySlot = bySlot(fact, slot.get(), tokens, known);
            if (bySlot != null) {
                return bySlot;
            }
            boolean distinctValueOfMultiSlot = !slot.get().slot().singleValued()
                    && !slot.get().value().isEmpty()
                    && known.stream().anyMatch(k -> sameSubjectAndSlot(k, slot.get()));
            if (distinctValueOfMultiSlot) {
                return new Pending(fact, Kind.ADD, null);
            }
        }
        Pending byOverlap = byOverlap(fact, tokens, known);
        return byOverlap != null ? byOverlap : new Pending(fact, Kind.ADD, null);
    }

    private static Pending bySlot(Fact fact, Slots.SlotFact slot, Set<String> tokens, List<Known> known) {
        Known target = null;
        for (Known memory : known) {
            if (sameSubjectAndSlot(memory, slot)
                    && (target == null || memory.updatedAt().isAfter(target.updatedAt()))) {
                target = memory;
            }
        }
        if (target == null) {
            return null;
        }
        String oldValue = target.slot().orElseThrow().value();
        boolean bothValued = !slot.value().isEmpty() && !oldValue.isEmpty();
        if (bothValued && !slot.value().equals(oldValue)) {
            if (!slot.slot().singleValued()) {
                return null;
            }
            return new Pending(fact, Kind.UPDATE, target.memory().ref());
        }
        return newTokens(tokens, target.tokens()) >= EXTEND_MIN_NEW_TOKENS
                ? new Pending(fact, Kind.EXTEND, target.memory().ref())
                : new Pending(fact, Kind.DUPLICATE, target.memory().ref());
    }

    private static boolean sameSubjectAndSlot(Known memory, Slots.SlotFact slot) {
        return memory.slot()
                .filter(other -> other.slot() == slot.slot()
                        && other.subject().equals(slot.subject())
                        && other.key().equals(slot.key()))
                .isPresent();
    }

    private static Pending byOverlap(Fact fact, Set<String> tokens, List<Known> known) {
        if (tokens.size() < MIN_OVERLAP_TOKENS) {
            return null;
        }
        Set<String> subjectTokens = fact.subject() == null ? Set.of() : Normalizer.contentTokens(fact.subject());
        if (tokens.size() - shared(tokens, subjectTokens) < MIN_OVERLAP_TOKENS) {
            return null;
        }
        Known best = null;
        Kind bestKind = null;
        double bestScore = 0;
        for (Known memory : known) {
            if (memory.tokens().size() - subjectTokens.size() < MIN_OVERLAP_TOKENS
                    || !memory.tokens().containsAll(subjectTokens)) {
                continue;
            }
            int shared = shared(tokens, memory.tokens());
            double factInMemory = (double) shared / tokens.size();
            double memoryInFact = (double) shared / memory.tokens().size();
            Kind kind = null;
            double score = 0;
            if (factInMemory >= DUPLICATE_CONTAINMENT && memoryInFact >= DUPLICATE_MIN_COVERAGE) {
                kind = Kind.DUPLICATE;
                score = 1 + factInMemory;
            } else if (memoryInFact >= EXTEND_CONTAINMENT && tokens.size() - shared >= EXTEND_MIN_NEW_TOKENS) {
                kind = Kind.EXTEND;
                score = memoryInFact;
            }
            if (kind != null && score > bestScore) {
                best = memory;
                bestKind = kind;
                bestScore = score;
            }
        }
        return best == null ? null : new Pending(fact, bestKind, best.memory().ref());
    }

    private static int shared(Set<String> a, Set<String> b) {
        int count = 0;
        for (String token : a) {
            if (b.contains(token)) {
                count++;
            }
        }
        return count;
    }

    private static int newTokens(Set<String> fact, Set<String> memory) {
        return fact.size() - shared(fact, memory);
    }

    private static void demoteAllButLastUpdate(List<Pending> pending) {
        Set<String> seen = new HashSet<>();
        for (int i = pending.size() - 1; i >= 0; i--) {
            Pending op = pending.get(i);
            if (op.kind == Kind.UPDATE && !seen.add(op.knownRef)) {
                op.demoted = true;
            }
        }
    }
}
