package dev.engram.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.json.EventJson;
import dev.engram.core.json.MalformedEventException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden messages of every v1 event: what was once written must keep deserialising. */
class GoldenEventsTest {

    @Test
    void documentEventV1GoldenMessageStillDeserialises() throws IOException {
        DocumentEvent event = EventJson.read(golden("document-event-v1.json"), DocumentEvent.class);

        assertThat(event.eventId()).isEqualTo("5f0c6f5e-2d7a-4c1e-9a55-0b8d3f1e2a10");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-28T18:00:00.123Z"));
        assertThat(event.schemaVersion()).isEqualTo(1);
        assertThat(event.containerTag()).isEqualTo("user_42");
        assertThat(event.orgId()).isEqualTo("org_default");
        assertThat(event.documentId()).isEqualTo("3kTz9QwErTyUiOpAsDfGhJ");
        assertThat(event.revision()).isEqualTo(1);
        assertThat(event.customId()).isEqualTo("note-7");
        assertThat(event.metadata())
                .containsEntry("source", "chat")
                .containsEntry("priority", 2)
                .containsEntry("pinned", true)
                .containsEntry("labels", List.of("home", "move"));
    }

    @Test
    void processingStatusEventV1GoldenMessageIgnoresFieldsAddedLater() throws IOException {
        ProcessingStatusEvent event =
                EventJson.read(golden("processing-status-event-v1.json"), ProcessingStatusEvent.class);

        assertThat(event.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(event.reason()).isEqualTo("content could not be fetched: 404");
        assertThat(event.revision()).isEqualTo(1);
    }

    @Test
    void conversationEventV1GoldenMessageStillDeserialises() throws IOException {
        ConversationEvent event = EventJson.read(golden("conversation-event-v1.json"), ConversationEvent.class);

        assertThat(event.conversationId()).isEqualTo("conv-7");
        assertThat(event.revision()).isEqualTo(2);
        assertThat(event.messages())
                .extracting(ConversationMessage::role, ConversationMessage::content, ConversationMessage::name)
                .containsExactly(tuple("user", "I live in Paris.", "Ana"), tuple("assistant", "Noted!", null));
        assertThat(event.messages().get(0).createdAt()).isEqualTo(Instant.parse("2026-11-28T21:29:00Z"));
        assertThat(event.metadata()).containsEntry("source", "chat");
    }

    @Test
    void eventsRoundTripThroughTheirWireForm() {
        var event = ProcessingStatusEvent.of(
                "e1", Instant.parse("2026-01-02T03:04:05Z"), "t", "org_default", "d1", 3, DocumentStatus.DONE, null);

        String json = EventJson.write(event);

        assertThat(json).contains("\"status\":\"done\"").contains("\"occurredAt\":\"2026-01-02T03:04:05Z\"");
        assertThat(json).doesNotContain("reason");
        assertThat(EventJson.read(json, ProcessingStatusEvent.class)).isEqualTo(event);
    }

    @Test
    void eventMissingARequiredFieldIsMalformed() {
        assertThatThrownBy(() -> EventJson.read("{\"eventId\":\"x\"}", DocumentEvent.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("DocumentEvent");
        assertThatThrownBy(() -> EventJson.read("not json", DocumentEvent.class))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.read("", ProcessingStatusEvent.class))
                .isInstanceOf(MalformedEventException.class);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = GoldenEventsTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
