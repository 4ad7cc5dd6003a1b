package dev.engram.memory.extract.offline;

import dev.engram.memory.extract.ExtractionFailedException;
import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.ExtractionResult;
import dev.engram.memory.extract.MemoryExtractor;
import dev.engram.memory.extract.MemoryOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The extractor used when no LLM is configured: deterministic, in-process, linear in the input, no model calls.
 *
 * <p>Phases: {@link Transcript} reads who said what and when (including transcript-shaped documents);
 * {@link Facts} splits each utterance into sentences, keeps the informative ones, resolves relative dates ("yesterday"
 * → "on 7 May 2023", also returned as event dates), rewrites them about the speaker ("I went" → "Caroline went") and
 * marks traits as static; {@link Consolidator} compares each fact with the known memories — the same content is a
 * duplicate, a new value of a single-valued attribute ("lives in", "works at", "is married"...) an update, a fact that
 * contains a known one and adds detail an extension — and with the request's earlier facts (no two equal additions).
 *
 * <p>The same request always gives the same result. Thread-safe: it holds no state.
 */
public final class OfflineExtractor implements MemoryExtractor {

    /** {@link #name()}. */
    public static final String NAME = "offline";

    private static final Logger LOG = Logger.getLogger(OfflineExtractor.class.getName());

    /** An offline extractor; it needs no configuration. */
    public OfflineExtractor() {}

    /** {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Extracts memories from {@code request}; see the class comment for how.
     *
     * @throws ExtractionFailedException never in practice: only if the result failed its own validation, which would
     *     be a bug (reason {@link ExtractionFailedException.Reason#INVALID_RESULT})
     */
    @Override
    public ExtractionResult extract(ExtractionRequest request) throws ExtractionFailedException {
        Objects.requireNonNull(request, "request");
        List<Transcript.Utterance> utterances = Transcript.read(request);
        List<Consolidator.Fact> facts = new ArrayList<>();
        for (Transcript.Utterance utterance : utterances) {
            facts.addAll(Facts.of(utterance));
        }
        ExtractionResult result = new ExtractionResult(Consolidator.consolidate(facts, request.known()));
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(String.format(
                    "offline extraction: %d turns, %d utterances, %d known, %d facts -> %d adds, %d updates,"
                            + " %d extends, %d duplicates",
                    request.turns().size(),
                    utterances.size(),
                    request.known().size(),
                    facts.size(),
                    count(result, MemoryOperation.Add.class),
                    count(result, MemoryOperation.Update.class),
                    count(result, MemoryOperation.Extend.class),
                    count(result, MemoryOperation.Duplicate.class)));
        }
        return result.validate(request);
    }

    private static long count(ExtractionResult result, Class<? extends MemoryOperation> kind) {
        return result.operations().stream().filter(kind::isInstance).count();
    }

    @Override
    public String toString() {
        return "OfflineExtractor";
    }
}
