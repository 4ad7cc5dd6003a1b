package dev.engram.router.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenCounter TOKENS = TokenCounter.o200k();

    @Test
    void trimmingKeepsSystemMessagesAndTheLatestTurnAndNeverStartsAtAToolResult() throws Exception {
        String filler = "lorem ipsum dolor sit amet ".repeat(40);
        String body = """
                {"messages":[
                  {"role":"system","content":"S"},
                  {"role":"user","content":"%1$s one"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"%1$s"},
                  {"role":"assistant","content":"%1$s"},
                  {"role":"user","content":"%1$s two"},
                  {"role":"assistant","content":"%1$s"},
                  {"role":"user","content":"latest"}]}""".formatted(filler);
        ChatRequest request = ChatRequest.parse(ChatApi.OPENAI_CHAT, bytes(body));
        int before = request.tokens(TOKENS);

        ChatRequest.Trim trim = request.trimTo(before - 100, TOKENS);

        // the first user turn alone is not enough: its tool call, result and answer go with it
        assertThat(trim.dropped()).isEqualTo(4);
        assertThat(trim.tokens()).isEqualTo(request.tokens(TOKENS));
        assertThat(roles(request)).containsExactly("system", "user", "assistant", "user");
        assertThat(contents(request).get(1)).endsWith("two");
        assertThat(request.tokens(TOKENS)).isLessThanOrEqualTo(before - 100);
    }

    @Test
    void aBudgetSmallerThanTheLatestTurnKeepsTheLatestTurn() throws Exception {
        ChatRequest request = ChatRequest.parse(ChatApi.OPENAI_CHAT, bytes("""
                {"messages":[{"role":"user","content":"old"},{"role":"assistant","content":"reply"},
                 {"role":"user","content":"new"}]}"""));

        assertThat(request.trimTo(1, TOKENS).dropped()).isEqualTo(2);
        assertThat(contents(request)).containsExactly("new");
    }

    @Test
    void aThreadWithinTheBudgetIsLeftAlone() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}";
        ChatRequest request = ChatRequest.parse(ChatApi.OPENAI_CHAT, bytes(body));

        assertThat(request.trimTo(1000, TOKENS)).isEqualTo(new ChatRequest.Trim(0, request.tokens(TOKENS)));
        assertThat(JSON.readTree(request.toBytes())).isEqualTo(JSON.readTree(body));
    }

    @Test
    void anthropicThreadsStillStartWithAPlainUserTurnAfterTrimming() throws Exception {
        String filler = "words ".repeat(300);
        ChatRequest request = ChatRequest.parse(ChatApi.ANTHROPIC_MESSAGES, bytes("""
                {"system":"S","messages":[
                  {"role":"user","content":"%1$s"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"%1$s"}]},
                  {"role":"assistant","content":"%1$s"},
                  {"role":"user","content":"latest"}]}""".formatted(filler)));

        request.trimTo(200, TOKENS);

        assertThat(roles(request)).containsExactly("user");
        assertThat(request.systemText()).isEqualTo("S");
    }

    @Test
    void turnsAreTheClientsTextWithoutSystemPromptsOrEmptyToolCalls() throws Exception {
        ChatRequest request = ChatRequest.parse(ChatApi.OPENAI_CHAT, bytes("""
                {"messages":[{"role":"developer","content":"D"},{"role":"user","content":[{"type":"text","text":"a"},
                 {"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"b"}]},
                 {"role":"assistant","content":null,"tool_calls":[]},{"role":"tool","content":"42"}]}"""));

        assertThat(request.turns())
                .extracting(turn -> turn.role() + ":" + turn.content())
                .containsExactly("user:a\n\nb", "tool:42");
        assertThat(request.latestUserText()).hasValue("a\n\nb");
    }

    @Test
    void refusesBodiesWithoutUsableMessages() {
        assertThatThrownBy(() -> ChatRequest.parse(ChatApi.OPENAI_CHAT, bytes("[1]")))
                .hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> ChatRequest.parse(ChatApi.OPENAI_CHAT, bytes("{\"messages\":[{\"content\":\"x\"}]}")))
                .hasMessage("messages[0]: must be an object with a role");
        assertThatThrownBy(() -> ChatRequest.parse(ChatApi.OPENAI_CHAT, bytes("{not json")))
                .hasMessage("the body is not valid JSON");
    }

    private static List<String> roles(ChatRequest request) throws Exception {
        List<String> roles = new ArrayList<>();
        JSON.readTree(request.toBytes())
                .get("messages")
                .forEach(m -> roles.add(m.get("role").asText()));
        return roles;
    }

    private static List<String> contents(ChatRequest request) throws Exception {
        List<String> contents = new ArrayList<>();
        for (JsonNode message : JSON.readTree(request.toBytes()).get("messages")) {
            contents.add(message.path("content").asText());
        }
        return contents;
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
