package dev.engram.writer.consolidation;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.kafka.Topics;
import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.memory.extract.ExtractionFailedException;
import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.ExtractionResult;
import dev.engram.memory.extract.KnownMemory;
import dev.engram.memory.extract.MemoryExtractor;
import dev.engram.memory.extract.MemoryOperation;
import dev.engram.memory.extract.SourceTurn;
import dev.engram.writer.config.WriterConfig;
import dev.engram.writer.memories.FieldUpdate;
import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemoryChanges;
import dev.engram.writer.memories.MemorySource;
import dev.engram.writer.memories.MemoryStorageException;
import dev.engram.writer.memories.MemoryWrites;
import dev.engram.writer.memories.NewMemory;
import dev.engram.writer.memories.TagSession;
import dev.engram.writer.memories.TemporalContext;
import dev.engram.writer.messaging.DeadLetters;
import dev.engram.writer.pipeline.Stage;
import dev.engram.writer.store.ChunkStore;
import dev.engram.writer.store.DocumentSource;
import dev.engram.writer.store.OrgSettingsSource;
import dev.engram.writer.store.StoredChunk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one extraction job: reads its source turns (a document's chunks, or a conversation's new turns), and for each
 * group of {@code writer.extraction.turns-per-call} turns looks up the similar memories the tag already has, asks the
 * {@link MemoryExtractor} what is new, and applies its answer in one {@link MemoryWrites#inTag tag transaction}:
 * {@code add} creates, {@code update} versions, {@code extend} relates, {@code duplicate} records another source.
 *
 * <p>Every write carries an idempotency key made of the document, revision, group and operation, so a job that is
 * run again after a crash (the lease expired) does not create what it already created.
 */
@ApplicationScoped
public class ExtractionRunner {

    private static final Logger LOG = Logger.getLogger(ExtractionRunner.class);

    @Inject
    WriterConfig config;

    @Inject
    DocumentSource documents;

    @Inject
    ChunkStore chunks;

    @Inject
    TextEmbedder embedder;

    @Inject
    VectorStore vectors;

    @Inject
    MemoryWrites writes;

    @Inject
    MemoryExtractor extractor;

    @Inject
    DeadLetters deadLetters;

    @Inject
    OrgSettingsSource orgSettings;

    @Inject
    LlmDocumentFilter documentFilter;

    /** The job was not run: its source is gone, or the organisation's LLM filter did not keep it; the message says why. */
    public static final class Skipped extends Exception {
        Skipped(String message) {
            super(message);
        }
    }

    /** The job failed; {@link #retriable()} says whether trying again later may help. */
    public static final class JobFailure extends Exception {
        private final boolean retriable;

        JobFailure(String message, boolean retriable, Throwable cause) {
            super(message, cause);
            this.retriable = retriable;
        }

        public boolean retriable() {
            return retriable;
        }
    }

    /** Runs the job and returns what it did. */
    public ExtractionJobs.Outcome run(ExtractionJob job) throws Skipped, JobFailure {
        List<Source> sources = sources(job);
        if (job.kind() == ExtractionJob.Kind.DOCUMENT) {
            filter(job, sources);
        }
        job = withTagContext(job);
        Counts counts = new Counts();
        int perCall = Math.max(1, config.extraction().turnsPerCall());
        for (int from = 0, group = 0; from < sources.size(); from += perCall, group++) {
            List<Source> slice = sources.subList(from, Math.min(sources.size(), from + perCall));
            extractGroup(job, group, slice, counts);
        }
        LOG.debugf(
                "extraction job done: %d turn(s), %d added, %d updated, %d extended, %d duplicate(s)",
                sources.size(), counts.added, counts.updated, counts.extended, counts.duplicates);
        return new ExtractionJobs.Outcome(
                counts.added, counts.updated, counts.extended, counts.duplicates, extractor.name());
    }

    /**
     * The organisation's LLM filter ({@code shouldLLMFilter} with a {@code filterPrompt}, and an LLM configured):
     * a document the model does not keep is skipped, with the model's reason; it stays stored and searchable.
     * Conversations are not filtered.
     */
    private void filter(ExtractionJob job, List<Source> sources) throws Skipped, JobFailure {
        OrgSettingsSource.PipelineSettings settings;
        try {
            settings = orgSettings.of(job.orgId());
        } catch (SQLException e) {
            throw new JobFailure("reading the organisation's settings failed: " + e.getMessage(), true, e);
        }
        if (!settings.llmFilter()
                || settings.filterPrompt() == null
                || settings.filterPrompt().isBlank()
                || !documentFilter.available()) {
            return; // ingest-service's /v3/settings warns that the filter has no effect then
        }
        String text =
                String.join("\n\n", sources.stream().map(s -> s.turn().text()).toList());
        LlmDocumentFilter.Verdict verdict;
        try {
            verdict = documentFilter.judge(settings.filterPrompt(), text);
        } catch (LlmDocumentFilter.FilterFailure e) {
            throw new JobFailure("LLM filter: " + e.getMessage(), e.retriable(), e);
        }
        if (!verdict.keep()) {
            throw new Skipped("filtered out by the organisation's LLM filter (shouldLLMFilter)"
                    + (verdict.reason().isEmpty() ? "" : ": " + verdict.reason()));
        }
    }

    /**
     * The job with the container tag's kept entity context when its event brought none: the context given once for
     * a tag guides the extraction of everything in it.
     */
    private ExtractionJob withTagContext(ExtractionJob job) throws JobFailure {
        if (job.entityContext() != null) {
            return job;
        }
        try {
            String kept =
                    documents.entityContext(job.orgId(), job.containerTag()).orElse(null);
            return kept == null ? job : job.withEntityContext(kept);
        } catch (SQLException e) {
            throw new JobFailure("reading the container tag's entity context failed: " + e.getMessage(), true, e);
        }
    }

    /** Sends a dead letter naming the job that failed for good, beside the topic its source came from. */
    void deadLetter(ExtractionJob job, String reason, Throwable failure) {
        String topic = job.kind() == ExtractionJob.Kind.CONVERSATION ? Topics.CONVERSATIONS : Topics.DOCUMENTS;
        String value = "{\"orgId\":\"%s\",\"documentId\":\"%s\",\"revision\":%d,\"kind\":\"%s\"}"
                .formatted(
                        job.orgId(),
                        job.documentId(),
                        job.revision(),
                        job.kind().column());
        try {
            deadLetters
                    .send(
                            new DeadLetters.SourceRecord(topic, -1, -1, job.containerTag(), value),
                            Stage.EXTRACTING_MEMORIES,
                            reason,
                            rootClass(failure))
                    .await()
                    .atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            // The job's failed state and reason are in the database either way.
            LOG.errorf("could not dead-letter a failed extraction job: %s", e.toString());
        }
    }

    private List<Source> sources(ExtractionJob job) throws Skipped, JobFailure {
        try {
            if (!documents.exists(job.orgId(), job.documentId())) {
                throw new Skipped("document deleted");
            }
            if (job.kind() == ExtractionJob.Kind.CONVERSATION) {
                List<Source> sources = new ArrayList<>();
                for (ExtractionJob.Turn turn : job.turns()) {
                    ConversationMessage message = turn.message();
                    if (!"user".equals(message.role()) && !"assistant".equals(message.role())) {
                        continue;
                    }
                    if (message.content().isBlank()) {
                        continue;
                    }
                    sources.add(new Source(
                            SourceTurn.turn(
                                    "t" + turn.position(),
                                    speaker(message),
                                    message.role(),
                                    message.createdAt(),
                                    message.content()),
                            null));
                }
                return withVectors(sources);
            }
            if (!documents
                    .live(List.of(new DocumentSource.Revision(job.orgId(), job.documentId(), job.revision())))
                    .contains(new DocumentSource.Revision(job.orgId(), job.documentId(), job.revision()))) {
                throw new Skipped("document superseded or deleted");
            }
            List<Source> sources = new ArrayList<>();
            for (StoredChunk chunk : chunks.chunksOf(job.orgId(), job.documentId())) {
                sources.add(new Source(
                        SourceTurn.document("c" + chunk.position(), chunk.content()),
                        chunk.modelId().equals(embedder.modelId()) ? chunk.embedding() : null));
            }
            return withVectors(sources);
        } catch (SQLException e) {
            throw new JobFailure("reading the source failed: " + e.getMessage(), true, e);
        }
    }

    /** Fills in the vectors a source does not have yet (conversation turns; chunks of another model). */
    private List<Source> withVectors(List<Source> sources) throws JobFailure {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).vector() == null) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return sources;
        }
        List<float[]> made;
        try {
            made = embedder.embed(
                    missing.stream().map(i -> sources.get(i).turn().text()).toList());
        } catch (RuntimeException e) {
            throw new JobFailure("embedding the source failed: " + e.getMessage(), true, e);
        }
        List<Source> filled = new ArrayList<>(sources);
        for (int i = 0; i < missing.size(); i++) {
            int at = missing.get(i);
            filled.set(at, new Source(sources.get(at).turn(), made.get(i)));
        }
        return filled;
    }

    private void extractGroup(ExtractionJob job, int group, List<Source> slice, Counts counts) throws JobFailure {
        Map<String, String> knownIds = new LinkedHashMap<>();
        List<KnownMemory> known = known(job, slice, knownIds);
        ExtractionRequest request = new ExtractionRequest(
                job.containerTag(),
                job.entityContext(),
                job.documentDate(),
                slice.stream().map(Source::turn).toList(),
                known);
        ExtractionResult result;
        try {
            result = extractor.extract(request);
        } catch (ExtractionFailedException e) {
            throw new JobFailure(extractor.name() + " extractor: " + e.getMessage(), e.retriable(), e);
        }
        if (result.operations().isEmpty()) {
            return;
        }
        try {
            writes.inTag(job.orgId(), job.containerTag(), session -> {
                List<MemoryOperation> operations = result.operations();
                for (int i = 0; i < operations.size(); i++) {
                    String key = "extract:%s:%d:%d:%d".formatted(job.documentId(), job.revision(), group, i);
                    apply(session, job, operations.get(i), knownIds, key, counts);
                }
                return null;
            });
        } catch (MemoryStorageException e) {
            throw new JobFailure("storing memories failed: " + e.getMessage(), e.retriable(), e);
        } catch (RuntimeException e) {
            throw new JobFailure("storing memories failed: " + e, false, e);
        }
    }

    /**
     * The latest, unforgotten, unexpired memories of the tag most similar to the turns (filtered inside the index):
     * the best {@code known-per-turn} of each turn, round-robin, up to {@code max-known}, named {@code m1, m2, …} for
     * the extractor. Each turn asks for twice its share, so turns that find the same memories still get their own.
     */
    private List<KnownMemory> known(ExtractionJob job, List<Source> slice, Map<String, String> knownIds)
            throws JobFailure {
        int perTurn = Math.max(1, config.extraction().knownPerTurn());
        List<List<VectorHit>> perSource = new ArrayList<>();
        long now = System.currentTimeMillis();
        try {
            for (Source source : slice) {
                perSource.add(vectors.search(
                        VectorKind.MEMORIES,
                        new VectorQuery(
                                        job.orgId(),
                                        List.of(job.containerTag()),
                                        source.vector(),
                                        perTurn * 2,
                                        null,
                                        null)
                                .withConditions(List.of(
                                        new AttributeCondition.Equals("isLatest", true),
                                        new AttributeCondition.Equals("isForgotten", false),
                                        new AttributeCondition.NotExpired("forgetAfter", now)))));
            }
        } catch (RuntimeException e) {
            throw new JobFailure("looking up similar memories failed: " + e.getMessage(), true, e);
        }
        Map<String, VectorHit> chosen = new LinkedHashMap<>();
        int maxKnown = Math.max(0, config.extraction().maxKnown());
        int[] taken = new int[perSource.size()];
        int[] cursor = new int[perSource.size()];
        boolean progress = true;
        while (chosen.size() < maxKnown && progress) {
            progress = false;
            for (int s = 0; s < perSource.size() && chosen.size() < maxKnown; s++) {
                List<VectorHit> hits = perSource.get(s);
                while (taken[s] < perTurn && cursor[s] < hits.size()) {
                    VectorHit hit = hits.get(cursor[s]++);
                    if (!current(hit) || chosen.containsKey(hit.point().id())) {
                        continue;
                    }
                    chosen.put(hit.point().id(), hit);
                    taken[s]++;
                    progress = true;
                    break;
                }
            }
        }
        List<KnownMemory> known = new ArrayList<>();
        for (VectorHit hit : chosen.values()) {
            String ref = "m" + (known.size() + 1);
            knownIds.put(ref, hit.point().id());
            known.add(new KnownMemory(
                    ref,
                    hit.point().text(),
                    Boolean.TRUE.equals(hit.point().attributes().get("isStatic")),
                    instant(hit.point().attributes().get("updatedAt"))));
        }
        return known;
    }

    private void apply(
            TagSession session,
            ExtractionJob job,
            MemoryOperation operation,
            Map<String, String> knownIds,
            String key,
            Counts counts)
            throws SQLException {
        MemorySource source = new MemorySource(job.documentId(), String.join(",", operation.sourceRefs()));
        switch (operation) {
            case MemoryOperation.Add add -> {
                session.create(List.of(newMemory(job, add.memory(), add.isStatic(), add.eventDates(), key)), source);
                counts.added++;
            }
            case MemoryOperation.Update update -> {
                Optional<Memory> target = target(session, knownIds.get(update.knownRef()));
                if (target.isEmpty()) {
                    session.create(
                            List.of(newMemory(job, update.memory(), update.isStatic(), update.eventDates(), key)),
                            source);
                    counts.added++;
                    return;
                }
                MemoryChanges changes = MemoryChanges.inherit()
                        .withStatic(update.isStatic())
                        .withSource(source)
                        .withIdempotencyKey(key)
                        .withTemporalContext(
                                FieldUpdate.set(job.documentDate()), FieldUpdate.set(instants(update.eventDates())));
                session.newVersion(target.get(), update.memory(), changes);
                counts.updated++;
            }
            case MemoryOperation.Extend extend -> {
                Optional<Memory> target = target(session, knownIds.get(extend.knownRef()));
                NewMemory created = newMemory(job, extend.memory(), extend.isStatic(), extend.eventDates(), key);
                if (target.isEmpty()) {
                    session.create(List.of(created), source);
                    counts.added++;
                    return;
                }
                session.extend(target.get(), created, source);
                counts.extended++;
            }
            case MemoryOperation.Duplicate duplicate -> {
                Optional<Memory> target = target(session, knownIds.get(duplicate.knownRef()));
                if (target.isPresent() && session.recordDuplicate(target.get(), source)) {
                    counts.duplicates++;
                }
            }
        }
    }

    /**
     * The latest, unforgotten version of a known memory as the tag holds it now (another write may have versioned
     * it since the lookup), or empty when it is gone or forgotten.
     */
    private static Optional<Memory> target(TagSession session, String memoryId) throws SQLException {
        if (memoryId == null) {
            return Optional.empty();
        }
        Optional<Memory> found = session.find(memoryId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Memory latest = session.latestOf(found.get());
        return latest.forgottenAt(session.now()) ? Optional.empty() : Optional.of(latest);
    }

    private static NewMemory newMemory(
            ExtractionJob job, String content, boolean isStatic, List<LocalDate> eventDates, String key) {
        return NewMemory.of(content)
                .withStatic(isStatic)
                .withMetadata(job.metadata())
                .withTemporalContext(new TemporalContext(job.documentDate(), instants(eventDates)))
                .withIdempotencyKey(key);
    }

    private static List<Instant> instants(List<LocalDate> dates) {
        return dates.stream()
                .map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC))
                .toList();
    }

    private static boolean current(VectorHit hit) {
        Map<String, Object> attributes = hit.point().attributes();
        return !Boolean.FALSE.equals(attributes.get("isLatest")) && !Boolean.TRUE.equals(attributes.get("isForgotten"));
    }

    private static Instant instant(Object value) {
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** The turn's speaker by name, or {@code null} so the extractor names them by role ("the user"). */
    private static String speaker(ConversationMessage message) {
        return message.name() == null || message.name().isBlank()
                ? null
                : message.name().strip();
    }

    private static String rootClass(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName();
    }

    /** A turn to extract from and its embedding (for the similar-memory lookup). */
    private record Source(SourceTurn turn, float[] vector) {}

    private static final class Counts {
        int added;
        int updated;
        int extended;
        int duplicates;
    }
}
