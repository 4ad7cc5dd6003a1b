package dev.engram.writer.editing;

import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemoryNotFoundException;
import dev.engram.writer.memories.TagSession;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * The memory a request names, by {@code id} or by its exact {@code content}, within the request's container tag.
 *
 * <p>Content can match several memories (old versions keep their text, and the same fact may have been stored twice):
 * the newest latest version that still counts is preferred, so {@code content} names "the current memory saying
 * this"; failing that a match in a state the caller cannot change is returned, so the caller answers with a conflict
 * that says why instead of a plain "not found".
 *
 * @param id the memory's id, or {@code null}
 * @param content the memory's exact text, or {@code null}
 */
public record MemoryTarget(String id, String content) {

    public MemoryTarget {
        if ((id == null) == (content == null)) {
            throw new IllegalArgumentException("name a memory by id or by content");
        }
    }

    /** The memory to update: by content, the newest latest unforgotten match, else any match (to report why not). */
    public Memory forUpdate(TagSession session) throws SQLException {
        return resolve(session, List.of(m -> m.isLatest() && !m.forgottenAt(session.now())));
    }

    /**
     * The memory to forget: by content, the newest latest unforgotten match, else any unforgotten version, else a
     * forgotten match (to report it is already forgotten).
     */
    public Memory forForget(TagSession session) throws SQLException {
        Instant now = session.now();
        return resolve(session, List.of(m -> m.isLatest() && !m.forgottenAt(now), m -> !m.forgottenAt(now)));
    }

    private Memory resolve(TagSession session, List<Predicate<Memory>> preferences) throws SQLException {
        if (id != null) {
            return session.find(id)
                    .orElseThrow(() -> new MemoryNotFoundException(
                            "No memory with id " + id + " in container tag " + session.containerTag() + "."));
        }
        List<Memory> matches = session.withExactContent(content);
        if (matches.isEmpty()) {
            throw new MemoryNotFoundException(
                    "No memory with exactly this content in container tag " + session.containerTag() + ".");
        }
        for (Predicate<Memory> preferred : preferences) {
            for (Memory match : matches) {
                if (preferred.test(match)) {
                    return match;
                }
            }
        }
        return matches.get(0);
    }
}
