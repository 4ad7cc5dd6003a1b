package dev.engram.writer.memories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.MemoryTables;
import dev.engram.writer.listing.ListMemories;
import dev.engram.writer.listing.ListQuery;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The write service the API and the consolidation of extracted memories share. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MemoryWritesTest {

    private static final String ORG = "org_default";

    @Inject
    MemoryWrites writes;

    @Inject
    ListMemories list;

    @Inject
    VectorStore vectors;

    @Inject
    TextEmbedder embedder;

    @Test
    void aRepeatedCreateWithTheSameIdempotencyKeysStoresEachMemoryOnce() {
        String tag = tag();
        List<NewMemory> facts = List.of(
                NewMemory.of("Ana lives in Paris").withIdempotencyKey("doc1/1/0"),
                NewMemory.of("Ana is a pastry chef").withIdempotencyKey("doc1/1/1"));

        List<Memory> first = writes.create(ORG, tag, facts, "doc1", "turn:0");
        List<Memory> again = writes.create(ORG, tag, facts, "doc1", "turn:0");

        assertThat(again)
                .extracting(Memory::id)
                .isEqualTo(first.stream().map(Memory::id).toList());
        assertThat(MemoryTables.memoryRows(tag)).isEqualTo(2);
        assertThat(first.get(0).sourceCount()).isEqualTo(1);
        assertThat(entries(tag)).allSatisfy(e -> assertThat(e.documentIds()).containsExactly("doc1"));
    }

    @Test
    void aRedeliveredUpdateReturnsTheVersionItMadeTheFirstTime() {
        String tag = tag();
        Memory paris = writes.create(ORG, tag, List.of(NewMemory.of("I live in Paris")), "doc1", null)
                .get(0);
        MemoryChanges changes = MemoryChanges.inherit()
                .withSource(MemorySource.document("doc2"))
                .withIdempotencyKey("doc2/1/0");

        Memory berlin = writes.newVersion(paris, "I moved to Berlin", changes);
        Memory redelivered = writes.newVersion(paris, "I moved to Berlin", changes);

        assertThat(redelivered.id()).isEqualTo(berlin.id());
        assertThat(berlin.version()).isEqualTo(2);
        assertThat(berlin.parentMemoryId()).isEqualTo(paris.id());
        assertThat(MemoryTables.memoryRows(tag)).isEqualTo(2);
        ListMemories.Entry latest = entries(tag).get(0);
        assertThat(latest.memory().id()).isEqualTo(berlin.id());
        assertThat(latest.documentIds()).containsExactly("doc2");
        assertThat(latest.history()).extracting(Memory::id).containsExactly(paris.id());
        // without the key, updating the superseded version is refused
        assertThatThrownBy(() -> writes.newVersion(paris, "I moved to Rome", MemoryChanges.inherit()))
                .isInstanceOf(MemoryConflictException.class)
                .hasMessageContaining(berlin.id());
    }

    @Test
    void aDuplicateCountsOncePerSourceDocument() {
        String tag = tag();
        Memory tea = writes.create(ORG, tag, List.of(NewMemory.of("Ana likes tea")), "doc1", null)
                .get(0);

        assertThat(writes.recordDuplicate(tea, "doc2", "turn:4")).isTrue();
        assertThat(writes.recordDuplicate(tea, "doc2", "turn:4")).isFalse();
        assertThat(writes.recordDuplicate(tea, "doc3", null)).isTrue();

        assertThat(MemoryTables.memory(tea.id())).containsEntry("source_count", "3");
        assertThat(entries(tag).get(0).documentIds()).containsExactly("doc1", "doc2", "doc3");
        assertThat(point(tag, tea.id()).point().attributes()).containsEntry("sourceCount", 3L);
    }

    @Test
    void anExtensionAndAnInferenceAreRelatedToWhatTheyBuildOnAndAllStayLatest() {
        String tag = tag();
        Memory job = writes.create(ORG, tag, List.of(NewMemory.of("Ana is a pastry chef")), "doc1", null)
                .get(0);

        Memory detail = writes.extend(job, NewMemory.of("Ana bakes croissants every morning"), "doc2", "turn:1");
        Memory inferred = writes.derive(List.of(job, detail), NewMemory.of("Ana gets up early"), "doc2", null);

        assertThat(detail.isLatest()).isTrue();
        assertThat(detail.version()).isEqualTo(1);
        assertThat(inferred.isInference()).isTrue();
        Map<String, ListMemories.Entry> byId = entries(tag).stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.memory().id(), e -> e));
        assertThat(byId).hasSize(3);
        assertThat(byId.get(job.id()).relations())
                .containsExactlyInAnyOrder(
                        new ListMemories.Relation(detail.id(), MemoryRelation.EXTENDS, false),
                        new ListMemories.Relation(inferred.id(), MemoryRelation.DERIVES, false));
        assertThat(byId.get(inferred.id()).relations())
                .containsExactlyInAnyOrder(
                        new ListMemories.Relation(job.id(), MemoryRelation.DERIVES, true),
                        new ListMemories.Relation(detail.id(), MemoryRelation.DERIVES, true));
    }

    @Test
    void severalChangesInOneSessionCommitTogetherOrNotAtAll() {
        String tag = tag();
        Memory kept = writes.create(ORG, tag, List.of(NewMemory.of("The cat is called Tom")), "doc1", null)
                .get(0);

        assertThatThrownBy(() -> writes.inTag(ORG, tag, session -> {
                    session.create(List.of(NewMemory.of("The dog is called Rex")), null);
                    session.forget(kept, "replaced");
                    return session.newVersion(
                            new Memory(
                                    ORG,
                                    "nosuch",
                                    tag,
                                    "x",
                                    "h",
                                    1,
                                    null,
                                    "nosuch",
                                    true,
                                    false,
                                    false,
                                    false,
                                    null,
                                    null,
                                    Map.of(),
                                    null,
                                    1,
                                    Instant.now(),
                                    Instant.now()),
                            "y",
                            MemoryChanges.inherit());
                }))
                .isInstanceOf(MemoryNotFoundException.class);

        assertThat(MemoryTables.memoryRows(tag)).isEqualTo(1);
        assertThat(MemoryTables.memory(kept.id())).containsEntry("is_forgotten", "false");
        assertThat(point(tag, kept.id()).point().attributes()).containsEntry("isForgotten", false);
    }

    @Test
    void exactDuplicatesAreFoundByTheirNormalisedContentHash() {
        String tag = tag();
        Memory tea = writes.create(ORG, tag, List.of(NewMemory.of("Ana likes tea.")), null, null)
                .get(0);

        List<Memory> found =
                writes.inTag(ORG, tag, session -> session.latestWithContentHash(ContentHash.of("  ana LIKES   tea ")));

        assertThat(found).extracting(Memory::id).containsExactly(tea.id());
        assertThat(point(tag, tea.id()).point().documentId()).isEqualTo(MemoryIndexer.NO_DOCUMENT);
    }

    private List<ListMemories.Entry> entries(String tag) {
        return list.list(ORG, new ListQuery(List.of(tag), null, 100, 1, ListQuery.Sort.CREATED_AT, false, true, true))
                .entries();
    }

    private VectorHit point(String tag, String id) {
        return vectors
                .search(
                        VectorKind.MEMORIES,
                        new VectorQuery(
                                ORG,
                                List.of(tag),
                                embedder.embed(List.of("anything")).get(0),
                                50,
                                null,
                                List.of()))
                .stream()
                .filter(h -> h.point().id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static String tag() {
        return "writes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
