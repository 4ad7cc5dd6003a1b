package dev.engram.router.proxy;

import dev.engram.core.auth.ScopeViolationException;
import dev.engram.core.events.ConversationMessage;
import dev.engram.router.api.Caller;
import dev.engram.router.api.RouterError;
import dev.engram.router.chat.Backfill;
import dev.engram.router.chat.ChatRequest;
import dev.engram.router.chat.InvalidChatRequestException;
import dev.engram.router.chat.MemoryBlock;
import dev.engram.router.chat.TokenCounter;
import dev.engram.router.config.RouterConfig;
import dev.engram.router.history.HistoryClient;
import dev.engram.router.memory.MemoryClient;
import dev.engram.router.services.ServiceUnavailableException;
import dev.engram.router.upstream.UpstreamPolicy;
import dev.engram.router.upstream.UpstreamRefusedException;
import dev.engram.router.upstream.UpstreamTarget;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;

/**
 * One exchange through the router: the upstream is checked (on a worker: it resolves the host) while memories are
 * retrieved and, for a named conversation, its stored turns are read; then the body gains the earlier turns the client
 * left out and the memory block, loses the oldest turns of a long thread, and {@link UpstreamRelay} forwards it and
 * streams the answer back. Memory never fails a request: without memories or stored turns the body goes upstream as
 * the client sent it, and {@code x-supermemory-error} says why.
 */
@ApplicationScoped
public class ChatProxy {

    private static final Logger LOG = Logger.getLogger(ChatProxy.class);

    /**
     * Bodies up to this size (a few thousand tokens: about a millisecond of counting) are read and changed on the event
     * loop; larger ones on a worker.
     */
    static final int INLINE_BODY_BYTES = 16 * 1024;

    @Inject
    Vertx vertx;

    @Inject
    RouterConfig config;

    @Inject
    UpstreamPolicy policy;

    @Inject
    TokenCounter tokens;

    @Inject
    MemoryClient memoryClient;

    @Inject
    HistoryClient historyClient;

    @Inject
    UpstreamRelay relay;

    @Inject
    RouterMetrics metrics;

    /** Memories found for a request, or why there are none. */
    record Recall(List<String> memories, Optional<String> error) {

        static final Recall NONE = new Recall(List.of(), Optional.empty());
    }

    /**
     * A named conversation's stored turns, or why there are none.
     *
     * @param stored the stored turns, oldest first; empty when there are none or they could not be had
     * @param error why they could not be had; then the exchange is not stored, since the router cannot tell whether
     *     the client's turns are the whole conversation and storing them could cut the stored one short
     */
    record History(List<ConversationMessage> stored, Optional<String> error) {

        static final History NONE = new History(List.of(), Optional.empty());
    }

    /** A request read and attributed to its caller. */
    private record Parsed(ChatRequest request, Caller caller) {}

    /**
     * The body as it goes upstream, and what the router tells the client about it.
     *
     * @param turns the conversation to publish with the answer (backfilled turns, then the client's); empty when the
     *     exchange is not to be stored
     */
    private record Prepared(
            byte[] body,
            RouterHeaders headers,
            Optional<List<ConversationMessage>> turns,
            int dropped,
            int backfilled) {}

    /** Takes over an accepted request; always answers it. */
    public void handle(Exchange exchange) {
        long started = System.nanoTime();
        onWorkerIfLarge(exchange, () -> parse(exchange)).onComplete(parsed -> {
            if (parsed.succeeded()) {
                proceed(exchange, parsed.result(), started);
            } else if (parsed.cause() instanceof InvalidChatRequestException e) {
                RouterError.badRequest("invalid_request", e.getMessage())
                        .send(exchange.ctx().response(), exchange.api());
            } else if (parsed.cause() instanceof ScopeViolationException e) {
                RouterError.forbidden("scope_violation", e.getMessage())
                        .send(exchange.ctx().response(), exchange.api());
            } else if (parsed.cause() instanceof Caller.InvalidCallerException e) {
                RouterError.badRequest(e.code(), e.getMessage())
                        .send(exchange.ctx().response(), exchange.api());
            } else {
                LOG.warnf("request not read: %s", parsed.cause().getClass().getSimpleName());
                RouterError.badRequest("invalid_request", "the request could not be read")
                        .send(exchange.ctx().response(), exchange.api());
            }
        });
    }

    private static Parsed parse(Exchange exchange) {
        ChatRequest request = ChatRequest.parse(exchange.api(), exchange.body());
        HttpServerRequest http = exchange.ctx().request();
        Caller caller = Caller.of(
                http.getHeader(Caller.USER_HEADER),
                exchange.userParam(),
                http.getHeader(Caller.CONVERSATION_HEADER),
                request,
                exchange.identity());
        return new Parsed(request, caller);
    }

    private void proceed(Exchange exchange, Parsed parsed, long started) {
        String pathAndQuery = exchange.api().pathSuffix() + exchange.query();
        Future<UpstreamTarget> target =
                vertx.executeBlocking(() -> policy.check(exchange.baseUrl(), pathAndQuery), false);
        Future<Recall> recall = recall(exchange.engramKey(), parsed.caller(), parsed.request());
        Future<History> history = history(exchange.engramKey(), parsed.caller());
        target.onFailure(failure -> refuse(exchange, failure));
        // recall and history never fail: they recover into "none, because …"
        target.onSuccess(upstream -> Future.all(recall, history)
                .onSuccess(both ->
                        prepareAndForward(exchange, parsed, upstream, recall.result(), history.result(), started)));
    }

    private void prepareAndForward(
            Exchange exchange, Parsed parsed, UpstreamTarget upstream, Recall recall, History history, long started) {
        onWorkerIfLarge(exchange, () -> prepare(exchange, parsed, recall, history))
                .onSuccess(prepared -> {
                    Span span = Span.current();
                    span.setAttribute(
                            "engram.memories.injected", prepared.headers().chunksRetrieved());
                    span.setAttribute("engram.thread.turns_dropped", prepared.dropped());
                    span.setAttribute("engram.thread.turns_backfilled", prepared.backfilled());
                    span.setAttribute("engram.prompt.tokens", prepared.headers().tokensProcessed());
                    recall.error().ifPresent(error -> span.addEvent("memory unavailable, forwarded without memories"));
                    history.error()
                            .ifPresent(error -> span.addEvent("history unavailable, forwarded without backfill"));
                    metrics.forwarding(started);
                    relay.forward(
                            exchange, upstream, prepared.body(), prepared.headers(), parsed.caller(), prepared.turns());
                })
                .onFailure(failure -> {
                    LOG.warnf("request not prepared: %s", failure.getClass().getSimpleName());
                    RouterError.internal("the request could not be prepared")
                            .send(exchange.ctx().response(), exchange.api());
                });
    }

    /**
     * Runs body work (parsing, token counting) inline for ordinary bodies and on a worker for large ones, so a
     * multi-megabyte thread does not hold the event loop.
     */
    private <T> Future<T> onWorkerIfLarge(Exchange exchange, Callable<T> work) {
        if (exchange.body().length > INLINE_BODY_BYTES) {
            return vertx.executeBlocking(work, false);
        }
        try {
            return Future.succeededFuture(work.call());
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Recall> recall(String engramKey, Caller caller, ChatRequest request) {
        Optional<String> query = request.latestUserText();
        if (caller.scope().isEmpty() || query.isEmpty()) {
            return Future.succeededFuture(Recall.NONE);
        }
        return memoryClient
                .recall(engramKey, caller.scope().get(), query.get())
                .map(memories -> {
                    metrics.memoryFound();
                    return new Recall(memories, Optional.empty());
                })
                .recover(failure -> {
                    metrics.memoryFailed(failure instanceof ServiceUnavailableException unavailable
                            && unavailable.code().endsWith("-timeout"));
                    String reason = failure instanceof ServiceUnavailableException unavailable
                            ? unavailable.header()
                            : "memory-error: " + failure.getClass().getSimpleName();
                    LOG.debugf("forwarding without memories: %s", reason);
                    return Future.succeededFuture(new Recall(List.of(), Optional.of(reason)));
                });
    }

    /** A named conversation's stored turns, read only when the client named it (else it has none to backfill). */
    private Future<History> history(String engramKey, Caller caller) {
        if (caller.scope().isEmpty() || !caller.conversationIdGiven()) {
            return Future.succeededFuture(History.NONE);
        }
        return historyClient
                .turns(engramKey, caller.scope().get(), caller.conversationId())
                .map(stored -> new History(stored, Optional.empty()))
                .recover(failure -> {
                    String reason = failure instanceof ServiceUnavailableException unavailable
                            ? unavailable.header()
                            : "history-error: " + failure.getClass().getSimpleName();
                    LOG.debugf("forwarding without backfill: %s", reason);
                    return Future.succeededFuture(
                            new History(List.of(), Optional.of(reason + "; this exchange's turns are not stored")));
                });
    }

    private Prepared prepare(Exchange exchange, Parsed parsed, Recall recall, History history) {
        ChatRequest request = parsed.request();
        List<ConversationMessage> sent = request.turns(); // as the client sent them, before any change
        Backfill backfill = Backfill.of(history.stored(), sent);
        int backfilled = request.insertHistory(backfill.history());
        List<ConversationMessage> conversation = new ArrayList<>(backfill.history());
        conversation.addAll(sent);
        Optional<List<ConversationMessage>> turns =
                history.error().isPresent() ? Optional.empty() : Optional.of(List.copyOf(conversation));
        String clientSystem = request.systemText();
        MemoryBlock block =
                MemoryBlock.of(recall.memories(), clientSystem, config.memory().tokenBudget(), tokens);
        // The block's room is made first, so the prompt as forwarded fits the thread budget with it.
        int blockTokens = block.memories() > 0 ? block.tokens() + TokenCounter.PER_MESSAGE : 0;
        ChatRequest.Trim trim = request.trimTo(config.thread().tokenBudget() - blockTokens, tokens);
        int promptTokens = trim.tokens();
        if (block.memories() > 0) {
            boolean addedMessage = request.appendToSystem(block.text());
            // counted apart rather than counting the whole prompt again (a blank line's token aside)
            promptTokens += block.tokens() + (addedMessage ? TokenCounter.PER_MESSAGE : 0);
        }
        boolean modified = trim.dropped() > 0 || block.memories() > 0 || backfilled > 0;
        byte[] body = modified ? request.toBytes() : exchange.body();
        Optional<String> error = recall.error();
        if (history.error().isPresent()) {
            error = Optional.of(
                    error.map(e -> e + "; ").orElse("") + history.error().get());
        }
        RouterHeaders headers = new RouterHeaders(
                parsed.caller().conversationId(), modified, promptTokens, block.memories(), backfilled, error);
        return new Prepared(body, headers, turns, trim.dropped(), backfilled);
    }

    private static void refuse(Exchange exchange, Throwable failure) {
        if (failure instanceof UpstreamRefusedException refused) {
            RouterError error = refused.badUrl()
                    ? RouterError.badRequest("invalid_provider_url", refused.getMessage())
                    : RouterError.forbidden("upstream_not_allowed", refused.getMessage());
            error.send(exchange.ctx().response(), exchange.api());
            return;
        }
        LOG.warnf("upstream check failed: %s", failure.getClass().getSimpleName());
        RouterError.upstreamUnreachable("the provider URL could not be checked")
                .send(exchange.ctx().response(), exchange.api());
    }
}
