package dev.engram.router.chat;

/** The provider APIs the router speaks; they differ in where the system prompt lives and how errors look. */
public enum ChatApi {
    /** OpenAI Chat Completions and the providers compatible with it: {@code .../chat/completions}. */
    OPENAI_CHAT("/chat/completions"),
    /** Anthropic Messages: {@code .../messages}. */
    ANTHROPIC_MESSAGES("/messages");

    private final String pathSuffix;

    ChatApi(String pathSuffix) {
        this.pathSuffix = pathSuffix;
    }

    /** The endpoint's path below the provider's base URL. */
    public String pathSuffix() {
        return pathSuffix;
    }
}
