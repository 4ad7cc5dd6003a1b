package dev.engram.memory.extract;

/**
 * Turns source text (a document's chunk or a conversation's new turns) into memory operations, given the memories
 * already known in the same container tag that look similar.
 *
 * <p>An extractor only proposes: the caller validates the result ({@link ExtractionResult#validate}) and applies it
 * (creates, versions and relates memories). Implementations are thread-safe; one instance serves every caller.
 */
public interface MemoryExtractor extends AutoCloseable {

    /** {@code llm} or {@code offline}: which implementation this is, for logs, metrics and memory metadata. */
    String name();

    /**
     * Extracts memory operations from {@code request}.
     *
     * <p>Every operation's {@code knownRef} is one of the request's known refs and every source ref one of its turn
     * refs. An empty result means there was nothing worth remembering; a failure is always an exception, never an
     * empty result.
     *
     * @throws ExtractionFailedException if extraction could not be done; {@link ExtractionFailedException#retriable()}
     *     tells whether the same request may succeed later
     */
    ExtractionResult extract(ExtractionRequest request) throws ExtractionFailedException;

    /** Releases what the extractor holds (an HTTP client, say); the default holds nothing. */
    @Override
    default void close() {}
}
