package dev.engram.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnswerCollectorTest {

    @Test
    void assemblesOpenAiDeltasSplitAnywhereIncludingInsideACharacter() {
        String stream = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"Olá, \"}}]}\n\n"
                + ": keep-alive\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"mundo ☕\"}}]}\r\n\r\n"
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        AnswerCollector collector = new AnswerCollector(true, 1 << 20);
        for (int i = 0; i < bytes.length; i += 3) {
            collector.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 3)));
        }

        assertThat(collector.answer()).isEqualTo("Olá, mundo ☕");
    }

    @Test
    void assemblesAnthropicTextDeltasAndIgnoresToolInput() {
        AnswerCollector collector = new AnswerCollector(true, 1 << 20);
        collector.feed(("event: content_block_delta\n"
                        + "data: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                        + "data: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n"
                        + "data: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(collector.answer()).isEqualTo("Hi there");
    }

    @Test
    void readsTheMessageOfAJsonAnswerInEitherApi() {
        AnswerCollector openAi = new AnswerCollector(false, 1 << 20);
        openAi.feed("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"A\"}}]}"
                .getBytes(StandardCharsets.UTF_8));
        AnswerCollector anthropic = new AnswerCollector(false, 1 << 20);
        anthropic.feed("{\"content\":[{\"type\":\"text\",\"text\":\"B\"},{\"type\":\"tool_use\",\"id\":\"t\"}]}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(openAi.answer()).isEqualTo("A");
        assertThat(anthropic.answer()).isEqualTo("B");
    }

    @Test
    void givesUpPastItsLimitInsteadOfGrowing() {
        AnswerCollector collector = new AnswerCollector(false, 10);
        collector.feed(
                "{\"choices\":[{\"message\":{\"content\":\"too long to keep\"}}]}".getBytes(StandardCharsets.UTF_8));

        assertThat(collector.answer()).isEmpty();
    }
}
