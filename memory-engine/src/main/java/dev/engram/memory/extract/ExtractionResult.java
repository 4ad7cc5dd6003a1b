package dev.engram.memory.extract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The operations an extractor proposes for one {@link ExtractionRequest}, in the order they should be applied.
 *
 * <p>Validation policy: an operation naming a known memory or a turn that the request does not have makes the whole
 * result invalid ({@link #validate}); nothing is silently dropped. The LLM extractor applies the same rule to its
 * model's answers and asks again once before failing.
 *
 * @param operations the proposed operations; may be empty when there is nothing worth remembering
 */
public record ExtractionResult(List<MemoryOperation> operations) {

    public ExtractionResult {
        operations = List.copyOf(Objects.requireNonNull(operations, "operations"));
    }

    /** A result with nothing to remember. */
    public static ExtractionResult empty() {
        return new ExtractionResult(List.of());
    }

    /**
     * What is wrong with this result for {@code request}, empty when it is valid: a {@code knownRef} that is not one of
     * {@link ExtractionRequest#knownRefs()}, a source ref that is not one of {@link ExtractionRequest#turnRefs()}, or
     * two {@link MemoryOperation.Update}s of the same known memory (the caller could not tell which is the next
     * version). Problems name refs and positions only, never text.
     */
    public List<String> problems(ExtractionRequest request) {
        Objects.requireNonNull(request, "request");
        Set<String> known = request.knownRefs();
        Set<String> turns = request.turnRefs();
        Set<String> updated = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            MemoryOperation operation = operations.get(i);
            String knownRef = operation.knownRef();
            if (knownRef != null && !known.contains(knownRef)) {
                problems.add("operation " + i + " names unknown memory '" + knownRef + "'");
            }
            if (operation instanceof MemoryOperation.Update && knownRef != null && !updated.add(knownRef)) {
                problems.add("operation " + i + " updates memory '" + knownRef + "' a second time");
            }
            for (String source : operation.sourceRefs()) {
                if (!turns.contains(source)) {
                    problems.add("operation " + i + " names unknown turn '" + source + "'");
                }
            }
        }
        return problems;
    }

    /**
     * Returns this result if it is valid for {@code request}.
     *
     * @throws ExtractionFailedException with {@link ExtractionFailedException.Reason#INVALID_RESULT}, not retriable,
     *     listing the {@link #problems} otherwise
     */
    public ExtractionResult validate(ExtractionRequest request) throws ExtractionFailedException {
        List<String> problems = problems(request);
        if (!problems.isEmpty()) {
            throw new ExtractionFailedException(
                    ExtractionFailedException.Reason.INVALID_RESULT,
                    "invalid extraction result: " + String.join("; ", problems),
                    null);
        }
        return this;
    }
}
