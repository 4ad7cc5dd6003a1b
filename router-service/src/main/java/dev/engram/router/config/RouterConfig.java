package dev.engram.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The Memory Router's settings. */
@ConfigMapping(prefix = "router")
public interface RouterConfig {

    /** Memory retrieval. */
    Memory memory();

    /** The upstream LLM providers the router may forward to. */
    Upstream upstream();

    /** Long threads. */
    Thread thread();

    /** Publishing the new turns to {@code engram.conversations.v1}, and backfilling the earlier ones. */
    Conversations conversations();

    /** Largest request body accepted, in bytes; a larger one is refused with 413 before it is read whole. */
    @WithDefault("4194304")
    int maxRequestBytes();

    interface Memory {

        /** Base URL of search-service ({@code ROUTER_MEMORY_SEARCH_URL}). */
        @WithDefault("http://127.0.0.1:8082")
        URI searchUrl();

        /** Longest wait for memories before the request goes upstream without them (fail open). */
        @WithDefault("150ms")
        Duration timeout();

        /** Most memories injected into one request. */
        @WithDefault("5")
        int topK();

        /** Least similarity (0..1, search-service's calibrated scale) of a memory worth injecting. */
        @WithDefault("0.6")
        double threshold();

        /**
         * Whether the user's static profile facts (name, job, home: {@code POST /v4/profile}) are injected too, after
         * the memories relevant to the turn and within the same budget. The profile call returns both in one request;
         * without it the router calls {@code POST /v4/search}.
         */
        @WithDefault("true")
        boolean includeProfile();

        /** Most tokens the injected memory block may take, delimiters and header included. */
        @WithDefault("1000")
        int tokenBudget();
    }

    interface Upstream {

        /**
         * Hosts forwarded to besides the well-known providers (api.openai.com, api.anthropic.com, api.groq.com,
         * openrouter.ai, generativelanguage.googleapis.com, api.deepinfra.com, api.mistral.ai, api.together.xyz,
         * api.fireworks.ai, api.x.ai, api.deepseek.com, api.cerebras.ai, api.perplexity.ai): exact host names or IP
         * literals, or {@code *.example.com} for every subdomain of example.com.
         */
        Optional<List<String>> allowedHosts();

        /**
         * Hosts (as written in the URL: a name or an IP literal) that may resolve to loopback, private or link-local
         * addresses, e.g. a local vLLM or Ollama. Every other host is refused when any of its addresses is not
         * public. The host must be allowed by {@link #allowedHosts()} as well.
         */
        Optional<List<String>> privateHosts();

        /**
         * The upstream base URL of {@code POST /v1/chat/completions} for clients that cannot put the provider in the
         * path, e.g. {@code https://api.openai.com/v1}; without it that endpoint answers 404.
         */
        Optional<URI> defaultUrl();

        /** Most connections to one provider endpoint; a request waits for a free one beyond that. */
        @WithDefault("256")
        int maxConnections();

        /** Longest wait for a connection to the provider. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Longest silence from the provider (no byte for this long) before the exchange is abandoned. */
        @WithDefault("300s")
        Duration idleTimeout();
    }

    interface Thread {

        /**
         * Largest prompt forwarded, in tokens of its messages and the memory block: past it the oldest non-system
         * turns are dropped (they are memories already) until it fits, always keeping the system messages and
         * everything from the latest user turn on.
         */
        @WithDefault("100000")
        int tokenBudget();
    }

    interface Conversations {

        /** Whether the new turns are published at all. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Most publications waiting for the broker at once. Past it a request is still answered but its turns are not
         * stored, and {@code x-supermemory-error} says so: a slow broker sheds memory writes instead of piling them up.
         */
        @WithDefault("512")
        int maxInFlight();

        /** Longest wait for the broker to acknowledge one publication. */
        @WithDefault("30s")
        Duration sendTimeout();

        /**
         * Base URL of ingest-service ({@code ROUTER_CONVERSATIONS_HISTORY_URL}), whose {@code GET
         * /v4/conversations/{conversationId}} gives a conversation's stored turns: with {@code x-sm-conversation-id}
         * and only the new turn(s), the router backfills the earlier ones from it.
         */
        @WithDefault("http://127.0.0.1:8081")
        URI historyUrl();

        /**
         * Longest wait for a conversation's stored turns before the request goes upstream without them (fail open).
         * Asked for while memories are retrieved, so it adds to the request's time only when it is the slower.
         */
        @WithDefault("150ms")
        Duration historyTimeout();
    }
}
