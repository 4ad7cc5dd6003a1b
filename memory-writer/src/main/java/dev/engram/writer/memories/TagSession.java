package dev.engram.writer.memories;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.embedding.TextEmbedder;
import dev.engram.writer.store.MemoryStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The memory writes of one container tag inside one transaction that holds the tag's {@link TagLock}; handed out by
 * {@link MemoryWrites#inTag}. Reads see the session's own writes, and what they show stays true until the commit,
 * since every writer of the tag waits for the lock. Memories changed here are re-indexed before the commit.
 *
 * <p>A memory of another container tag is "not found" here, as in the API.
 */
public final class TagSession {

    private final Connection connection;
    private final String orgId;
    private final String containerTag;
    private final Instant now;
    private final MemoryStore store;
    private final TextEmbedder embedder;
    private final Set<String> touched = new LinkedHashSet<>();

    TagSession(
            Connection connection,
            String orgId,
            String containerTag,
            Instant now,
            MemoryStore store,
            TextEmbedder embedder) {
        this.connection = connection;
        this.orgId = orgId;
        this.containerTag = containerTag;
        this.now = now;
        this.store = store;
        this.embedder = embedder;
    }

    /** The organisation. */
    public String orgId() {
        return orgId;
    }

    /** The container tag. */
    public String containerTag() {
        return containerTag;
    }

    /** The time of this session; every timestamp it writes. */
    public Instant now() {
        return now;
    }

    /** The transaction's connection, for work that must commit with the memories (e.g. an outbox row). */
    public Connection connection() {
        return connection;
    }

    /** The id a memory created with {@code idempotencyKey} in this organisation and tag has. */
    public String idFor(String idempotencyKey) {
        return DocumentIds.derived("memory", orgId, containerTag, idempotencyKey);
    }

    /** A memory of this tag, in whatever state. */
    public Optional<Memory> find(String id) throws SQLException {
        return store.find(connection, orgId, id).filter(m -> m.containerTag().equals(containerTag));
    }

    /** The latest version of the chain {@code memory} belongs to. */
    public Memory latestOf(Memory memory) throws SQLException {
        return store.latestOfChain(connection, orgId, memory.rootMemoryId()).orElse(memory);
    }

    /** The memories of this tag whose text is exactly {@code content}: latest versions first, then newest first. */
    public List<Memory> withExactContent(String content) throws SQLException {
        return store.withExactContent(connection, orgId, containerTag, content);
    }

    /** The latest versions of this tag whose {@link ContentHash} is {@code contentHash} (duplicate candidates). */
    public List<Memory> latestWithContentHash(String contentHash) throws SQLException {
        return store.latestWithHash(connection, orgId, containerTag, contentHash);
    }

    /**
     * Creates memories, each version 1 of its own chain, observed in {@code source}. A memory whose idempotency key
     * names an existing memory is not created again: that memory is returned as it is.
     *
     * @param source where they were observed, or {@code null}
     * @return the memories, in the order given
     */
    public List<Memory> create(List<NewMemory> memories, MemorySource source) throws SQLException {
        List<float[]> embeddings = embeddings(
                memories.stream().map(m -> new Text(m.content(), m.embedding())).toList());
        List<Memory> created = new ArrayList<>(memories.size());
        for (int i = 0; i < memories.size(); i++) {
            created.add(createOne(memories.get(i), embeddings.get(i), source));
        }
        return created;
    }

    /**
     * Stores {@code newContent} as the next version of {@code existing}, which must still be the latest version and
     * not forgotten: the new version {@code updates} it, and it stays as history with {@code isLatest=false}. Fields
     * not changed by {@code changes} are inherited.
     *
     * @throws MemoryNotFoundException if {@code existing} is not a memory of this tag
     * @throws MemoryConflictException if it is not the latest version, or counts as forgotten
     */
    public Memory newVersion(Memory existing, String newContent, MemoryChanges changes) throws SQLException {
        requireContent(newContent);
        Objects.requireNonNull(changes, "changes");
        Optional<Memory> done = alreadyMade(changes.idempotencyKey());
        if (done.isPresent()) {
            return done.get();
        }
        Memory current = requireUpdatable(existing.id());
        boolean expiryCleared = changes.forgetAfter() instanceof FieldUpdate.Clear<Instant>;
        TemporalContext temporal = new TemporalContext(
                changes.documentDate().applyTo(current.temporalContext().documentDate()),
                changes.eventDates().applyTo(current.temporalContext().eventDates()));
        String id = changes.idempotencyKey() == null ? DocumentIds.next() : idFor(changes.idempotencyKey());
        Memory next = new Memory(
                orgId,
                id,
                containerTag,
                newContent,
                ContentHash.of(newContent),
                current.version() + 1,
                current.id(),
                current.rootMemoryId(),
                true,
                changes.isStatic() == null ? current.isStatic() : changes.isStatic(),
                false,
                false,
                changes.forgetAfter().applyTo(current.forgetAfter()),
                expiryCleared ? null : changes.forgetReason().applyTo(current.forgetReason()),
                changes.metadata() == null ? current.metadata() : changes.metadata(),
                temporal,
                changes.source() == null ? current.sourceCount() : 1,
                now,
                now);
        float[] embedding =
                embeddings(List.of(new Text(newContent, changes.embedding()))).get(0);
        store.markSuperseded(connection, orgId, current.id(), now);
        store.insert(connection, next, embedding, embedder.modelId());
        store.addRelation(connection, orgId, next.id(), current.id(), MemoryRelation.UPDATES, now);
        if (changes.source() == null) {
            store.copySources(connection, orgId, current.id(), next.id(), now);
        } else {
            store.addSource(connection, orgId, next.id(), changes.source(), now);
        }
        touched.add(current.id());
        touched.add(next.id());
        return next;
    }

    /**
     * Creates a memory that adds detail to {@code existing} (relation {@code extends}); both stay latest. The
     * extended memory must be the latest version and not forgotten.
     *
     * @param source where the extension was observed, or {@code null}
     * @throws MemoryNotFoundException if {@code existing} is not a memory of this tag
     * @throws MemoryConflictException if it is not the latest version, or counts as forgotten
     */
    public Memory extend(Memory existing, NewMemory extension, MemorySource source) throws SQLException {
        Optional<Memory> done = alreadyMade(extension.idempotencyKey());
        if (done.isPresent()) {
            return done.get();
        }
        Memory current = requireUpdatable(existing.id());
        Memory created = create(List.of(extension), source).get(0);
        store.addRelation(connection, orgId, created.id(), current.id(), MemoryRelation.EXTENDS, now);
        return created;
    }

    /**
     * Creates a memory inferred from others ({@code isInference=true}, relation {@code derives} to each).
     *
     * @param source where the inference was made, or {@code null}
     * @throws MemoryNotFoundException if one of {@code from} is not a memory of this tag
     */
    public Memory derive(List<Memory> from, NewMemory inference, MemorySource source) throws SQLException {
        if (from.isEmpty()) {
            throw new IllegalArgumentException("an inference derives from at least one memory");
        }
        Optional<Memory> done = alreadyMade(inference.idempotencyKey());
        if (done.isPresent()) {
            return done.get();
        }
        List<Memory> premises = new ArrayList<>(from.size());
        for (Memory memory : from) {
            premises.add(require(memory.id()));
        }
        Memory created = create(List.of(inference.withInference(true)), source).get(0);
        for (Memory premise : premises) {
            store.addRelation(connection, orgId, created.id(), premise.id(), MemoryRelation.DERIVES, now);
        }
        return created;
    }

    /**
     * Records that {@code existing} was observed again, in {@code source}: one more source and one more count.
     * Observing it again in the same document changes nothing.
     *
     * @return whether the observation was new
     * @throws MemoryNotFoundException if {@code existing} is not a memory of this tag
     */
    public boolean recordDuplicate(Memory existing, MemorySource source) throws SQLException {
        Objects.requireNonNull(source, "source");
        Memory current = require(existing.id());
        if (!store.addSource(connection, orgId, current.id(), source, now)) {
            return false;
        }
        store.incrementSourceCount(connection, orgId, current.id(), now);
        touched.add(current.id());
        return true;
    }

    /**
     * Forgets a memory (softly: the row stays, marked forgotten).
     *
     * @param reason why, or {@code null} to keep the reason it had
     * @return {@code false} if it already counted as forgotten (recorded, or expired)
     * @throws MemoryNotFoundException if {@code existing} is not a memory of this tag
     */
    public boolean forget(Memory existing, String reason) throws SQLException {
        Memory current = require(existing.id());
        if (current.forgottenAt(now)) {
            return false;
        }
        store.markForgotten(connection, orgId, current.id(), reason, now);
        touched.add(current.id());
        return true;
    }

    /**
     * Forgets the latest, unforgotten memories of this tag that were observed in {@code documentId} and nowhere else:
     * their only source was deleted. Memories also seen in other documents stay.
     *
     * @return the ids forgotten
     */
    public List<String> forgetOnlySourcedBy(String documentId, String reason) throws SQLException {
        List<Memory> only = store.query(
                connection,
                "select " + MemoryStore.COLUMNS + " from writer.memories m where m.org_id = ? and m.container_tag = ?"
                        + " and m.is_latest and not m.is_forgotten and exists (select 1 from writer.memory_sources s"
                        + " where s.org_id = m.org_id and s.memory_id = m.id and s.document_id = ?)"
                        + " and not exists (select 1 from writer.memory_sources s where s.org_id = m.org_id"
                        + " and s.memory_id = m.id and s.document_id <> ?)",
                orgId,
                containerTag,
                documentId,
                documentId);
        List<String> forgotten = new ArrayList<>(only.size());
        for (Memory memory : only) {
            if (store.markForgotten(connection, orgId, memory.id(), reason, now)) {
                touched.add(memory.id());
                forgotten.add(memory.id());
            }
        }
        return forgotten;
    }

    /**
     * Records the memories among {@code ids} that have expired as forgotten.
     *
     * @return the ids recorded
     */
    public List<String> recordExpired(Collection<String> ids) throws SQLException {
        List<String> expired = store.markExpired(connection, orgId, containerTag, ids, now);
        touched.addAll(expired);
        return expired;
    }

    /** The memories changed in this session (their points are rewritten before the commit). */
    Set<String> touched() {
        return Collections.unmodifiableSet(touched);
    }

    private Memory createOne(NewMemory spec, float[] embedding, MemorySource source) throws SQLException {
        String id = spec.idempotencyKey() == null ? DocumentIds.next() : idFor(spec.idempotencyKey());
        Memory memory = new Memory(
                orgId,
                id,
                containerTag,
                spec.content(),
                ContentHash.of(spec.content()),
                1,
                null,
                id,
                true,
                spec.isStatic(),
                spec.isInference(),
                false,
                spec.forgetAfter(),
                spec.forgetReason(),
                spec.metadata(),
                spec.temporalContext(),
                1,
                now,
                now);
        touched.add(id);
        if (!store.insert(connection, memory, embedding, embedder.modelId())) {
            return find(id).orElseThrow(() -> new MemoryConflictException(
                    "the idempotency key names memory " + id + " of another container tag"));
        }
        if (source != null) {
            store.addSource(connection, orgId, id, source, now);
        }
        return memory;
    }

    private Optional<Memory> alreadyMade(String idempotencyKey) throws SQLException {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        Optional<Memory> made = find(idFor(idempotencyKey));
        made.ifPresent(m -> touched.add(m.id()));
        return made;
    }

    private Memory require(String id) throws SQLException {
        return find(id).orElseThrow(() ->
                new MemoryNotFoundException("No memory " + id + " in container tag " + containerTag + "."));
    }

    private Memory requireUpdatable(String id) throws SQLException {
        Memory current = require(id);
        if (!current.isLatest()) {
            Memory latest = latestOf(current);
            throw new MemoryConflictException("Memory " + id + " is version " + current.version()
                    + " and no longer the latest; update the latest version, " + latest.id() + " (version "
                    + latest.version() + ").");
        }
        if (current.isForgotten()) {
            throw new MemoryConflictException("Memory " + id + " is forgotten.");
        }
        if (current.expiredAt(now)) {
            throw new MemoryConflictException(
                    "Memory " + id + " expired at " + current.forgetAfter() + " and counts as forgotten.");
        }
        return current;
    }

    private static void requireContent(String content) {
        if (content == null || content.isBlank()) {
            throw new IllegalArgumentException("a memory's content must not be blank");
        }
    }

    /** The embeddings of the texts: the given one where present, the rest computed in one batch. */
    private List<float[]> embeddings(List<Text> texts) {
        List<String> missing = new ArrayList<>();
        for (Text text : texts) {
            if (text.embedding() == null) {
                missing.add(text.content());
            } else if (text.embedding().length != embedder.dimension()) {
                throw new IllegalArgumentException("an embedding given with a memory has " + text.embedding().length
                        + " dimensions; the model " + embedder.modelId() + " makes " + embedder.dimension());
            }
        }
        List<float[]> computed = missing.isEmpty() ? List.of() : embedder.embed(missing);
        List<float[]> embeddings = new ArrayList<>(texts.size());
        int next = 0;
        for (Text text : texts) {
            embeddings.add(text.embedding() == null ? computed.get(next++) : text.embedding());
        }
        return embeddings;
    }

    private record Text(String content, float[] embedding) {}
}
