package dev.engram.writer.consolidation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import dev.engram.writer.messaging.DeadLetters;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writer with the LLM extractor against a scripted OpenAI-compatible server: a good answer becomes memories, and
 * a failing provider ends the job {@code failed} with its reason and a dead letter, after bounded retries.
 */
@QuarkusTest
@TestProfile(LlmExtractionTest.LlmProfile.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class LlmExtractionTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    /** The LLM extractor, retried quickly, with no wait for the document pipeline. */
    public static class LlmProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "writer.extraction.extractor", "llm",
                    "writer.extraction.max-attempts", "2",
                    "writer.extraction.retry-backoff", "200ms",
                    "writer.extraction.yield-to-documents", "0s",
                    "writer.extraction.llm.timeout", "5s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ScriptedLlm.class));
        }
    }

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void theModelsAnswerBecomesMemoriesEvenWhenWrappedInProse() {
        ScriptedLlm.answer(ScriptedLlm.Answer.completion("Here you go:\n```json\n{\"memories\":[{\"action\":\"add\","
                + "\"memory\":\"Ana lives in Lisbon\",\"static\":true,\"sources\":[\"t1\"]}]}\n```\nAnything else?"));
        ConversationEvent event = conversation("user_llm_ok_" + shortId(), "I just settled in Lisbon.");

        send(event);

        Map<String, Object> job = MemoryExtractionTest.awaitJob(event.documentId(), 1);
        assertThat(job).containsEntry("status", "done").containsEntry("extractor", "llm");
        assertThat(MemoryExtractionTest.latest(event.containerTag()))
                .extracting(m -> (String) m.get("memory"))
                .containsExactly("Ana lives in Lisbon");
        assertThat(ScriptedLlm.requests())
                .anySatisfy(body -> assertThat(body).contains("scripted-model").contains("settled in Lisbon"));
    }

    @Test
    void theContainerTagsKeptEntityContextGuidesExtractionWhenTheEventHasNone() {
        ScriptedLlm.answer(ScriptedLlm.Answer.completion("{\"memories\":[]}"));
        String tag = "user_llm_ctx_" + shortId();
        IngestTables.tagContext(tag, "Ana is a customer of the Lisbon bakery");
        ConversationEvent event = conversation(tag, "I would like the sourdough again.");

        send(event);

        assertThat(MemoryExtractionTest.awaitJob(event.documentId(), 1)).containsEntry("status", "done");
        assertThat(ScriptedLlm.requests())
                .anySatisfy(body -> assertThat(body)
                        .contains("sourdough again")
                        .contains("Ana is a customer of the Lisbon bakery"));
    }

    @Test
    void aFailingProviderEndsTheJobFailedWithADeadLetterNeverAsNothingExtracted() {
        ScriptedLlm.answer(new ScriptedLlm.Answer(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        ConversationEvent event = conversation("user_llm_down_" + shortId(), "I adopted a cat named Miso.");

        send(event);

        Map<String, Object> job = MemoryExtractionTest.awaitJob(event.documentId(), 1);
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("reason"))
                .contains("gave up after 2 attempts")
                .contains("llm extractor");
        assertThat(MemoryExtractionTest.latest(event.containerTag())).isEmpty();
        List<ConsumerRecord<String, String>> letters = kafka.read(
                Topics.dlq(Topics.CONVERSATIONS),
                r -> r.value().contains(event.documentId()),
                found -> !found.isEmpty(),
                WAIT);
        ConsumerRecord<String, String> letter = letters.get(0);
        assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("extracting_memories");
        assertThat(header(letter, DeadLetters.REASON)).contains("gave up");
        assertThat(letter.key()).isEqualTo(event.containerTag());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static ConversationEvent conversation(String tag, String text) {
        return new ConversationEvent(
                UUID.randomUUID().toString(),
                Instant.now(),
                ConversationEvent.SCHEMA_VERSION,
                tag,
                "org_default",
                "c1",
                DocumentIds.forConversation("org_default", tag, "c1"),
                1,
                List.of(new ConversationMessage("user", text, "Ana", Instant.parse("2023-05-08T10:00:00Z"))),
                Map.of(),
                null,
                "api");
    }

    private void send(ConversationEvent event) {
        kafka.send(Topics.CONVERSATIONS, event.containerTag(), EventJson.write(event));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
