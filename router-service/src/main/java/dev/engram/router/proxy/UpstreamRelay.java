package dev.engram.router.proxy;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.text.StorableText;
import dev.engram.router.api.Caller;
import dev.engram.router.api.RouterError;
import dev.engram.router.api.RouterRoutes;
import dev.engram.router.chat.AnswerCollector;
import dev.engram.router.config.RouterConfig;
import dev.engram.router.messaging.ConversationPublisher;
import dev.engram.router.upstream.UpstreamTarget;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Forwards a request to the provider over a pooled non-blocking client (connected to the address the policy checked)
 * and passes the answer back as it arrives: status, headers and body, errors included, with back-pressure both ways
 * and nothing buffered but what the {@link AnswerCollector} keeps of the assistant's text. When a successful answer
 * ended, its turns are handed to the {@link ConversationPublisher}. A client that goes away cancels the upstream call.
 */
@ApplicationScoped
public class UpstreamRelay {

    private static final Logger LOG = Logger.getLogger(UpstreamRelay.class);

    /** Most bytes of an answer kept to read the assistant's text from. */
    static final int MAX_COLLECTED_BYTES = 4 * 1024 * 1024;

    /**
     * Request headers never forwarded: hop-by-hop, recomputed, or the router's own. The caller's trace context is the
     * router's own too: the HTTP client writes the router's (a child of the router's span) to the upstream request.
     */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "host",
            "content-length",
            "connection",
            "keep-alive",
            "proxy-authorization",
            "proxy-authenticate",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "expect",
            "accept-encoding",
            "traceparent",
            "tracestate",
            RouterRoutes.ENGRAM_KEY_HEADER,
            Caller.USER_HEADER,
            Caller.CONVERSATION_HEADER);

    /** Response headers not passed back: hop-by-hop ones. */
    private static final Set<String> NOT_RETURNED =
            Set.of("connection", "keep-alive", "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade");

    @Inject
    Vertx vertx;

    @Inject
    RouterConfig config;

    @Inject
    ConversationPublisher publisher;

    @Inject
    RouterMetrics metrics;

    @Inject
    Clock clock;

    private HttpClient client;

    @PostConstruct
    void open() {
        RouterConfig.Upstream upstream = config.upstream();
        client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(upstream.maxConnections())
                .setDecompressionSupported(false)
                .setConnectTimeout((int) upstream.connectTimeout().toMillis()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Sends {@code body} to the provider and streams the answer back.
     *
     * @param turns the conversation (backfilled turns and the client's), to publish with the answer; empty when this
     *     exchange is not to be stored
     */
    void forward(
            Exchange exchange,
            UpstreamTarget target,
            byte[] body,
            RouterHeaders headers,
            Caller caller,
            Optional<List<ConversationMessage>> turns) {
        RouterConfig.Upstream settings = config.upstream();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.path())
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
                .setConnectTimeout(settings.connectTimeout().toMillis())
                .setIdleTimeout(settings.idleTimeout().toMillis())
                .setHeaders(forwardedHeaders(exchange));
        HttpServerResponse out = exchange.ctx().response();
        client.request(options)
                .compose(upstream -> {
                    out.closeHandler(closed -> upstream.reset());
                    return upstream.send(Buffer.buffer(body));
                })
                .onSuccess(answer -> relay(exchange, answer, headers, caller, turns))
                .onFailure(failure -> {
                    String kind = failure.getClass().getSimpleName();
                    LOG.debugf("provider %s not reached: %s", target.host(), kind);
                    metrics.upstreamError(kind.contains("Timeout") ? "timeout" : "unreachable");
                    RouterError error = kind.contains("Timeout")
                            ? RouterError.upstreamTimeout("the provider " + target.host() + " did not answer in time")
                            : RouterError.upstreamUnreachable(
                                    "the provider " + target.host() + " could not be reached");
                    error.send(out, exchange.api());
                });
    }

    private void relay(
            Exchange exchange,
            HttpClientResponse answer,
            RouterHeaders routerHeaders,
            Caller caller,
            Optional<List<ConversationMessage>> turns) {
        long arrived = System.nanoTime();
        HttpServerResponse out = exchange.ctx().response();
        int status = answer.statusCode();
        metrics.upstreamAnswered(status);
        boolean store = status / 100 == 2
                && caller.scope().isPresent()
                && turns.isPresent()
                && config.conversations().enabled();
        boolean reserved = store && publisher.reserve();
        RouterHeaders headers = store && !reserved
                ? routerHeaders.withError("conversation-store-busy: this exchange's turns are not stored")
                : routerHeaders;
        AtomicBoolean slotHeld = new AtomicBoolean(reserved);

        out.setStatusCode(status);
        if (answer.statusMessage() != null) {
            out.setStatusMessage(answer.statusMessage());
        }
        answer.headers().forEach(header -> {
            if (!NOT_RETURNED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(header.getKey(), header.getValue());
            }
        });
        headers.writeTo(out);
        metrics.answered(arrived);
        if (answer.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            out.setChunked(true);
        }
        String contentType = answer.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean eventStream =
                contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        AnswerCollector collector = reserved ? new AnswerCollector(eventStream, MAX_COLLECTED_BYTES) : null;

        answer.handler(chunk -> {
            if (collector != null) {
                collector.feed(chunk.getBytes());
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                answer.pause();
                out.drainHandler(drained -> answer.resume());
            }
        });
        answer.exceptionHandler(failure -> {
            LOG.debugf("provider answer broke off: %s", failure.getClass().getSimpleName());
            if (slotHeld.getAndSet(false)) {
                publisher.release();
            }
            out.reset();
        });
        out.closeHandler(closed -> {
            if (!out.ended()) {
                answer.request().reset(); // the client left: stop the provider's work
                if (slotHeld.getAndSet(false)) {
                    publisher.release(); // and store nothing of an unfinished answer
                }
            }
        });
        answer.endHandler(ended -> {
            out.end();
            if (slotHeld.getAndSet(false)) {
                publish(exchange.identity().orgId(), caller, turns.orElseThrow(), collector.answer());
            }
        });
    }

    /** Hands the exchange's turns to the publisher; the slot is given back when the broker answered. */
    private void publish(String orgId, Caller caller, List<ConversationMessage> turns, String answer) {
        List<ConversationMessage> messages = new ArrayList<>(turns);
        if (!answer.isBlank()) {
            messages.add(new ConversationMessage("assistant", answer, null, null));
        }
        // a chat may carry NUL or half an emoji, which no memory can store: the turns are kept without them
        messages.replaceAll(turn -> new ConversationMessage(
                turn.role(),
                StorableText.storable(turn.content()),
                StorableText.storable(turn.name()),
                turn.createdAt()));
        if (messages.isEmpty()) {
            publisher.release();
            return;
        }
        String scope = caller.scope().orElseThrow();
        var now = clock.instant();
        ConversationEvent event = new ConversationEvent(
                UUID.randomUUID().toString(),
                now,
                ConversationEvent.SCHEMA_VERSION,
                scope,
                orgId,
                caller.conversationId(),
                DocumentIds.forConversation(orgId, scope, caller.conversationId()),
                // The router keeps no state: the time orders the states of a conversation (the newest wins).
                now.toEpochMilli(),
                messages,
                Map.of(),
                null,
                "router");
        publisher.publish(event).subscribe().with(published -> {}, failure -> {});
    }

    private static MultiMap forwardedHeaders(Exchange exchange) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        exchange.ctx().request().headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name) || name.startsWith("x-sm-")) {
                return;
            }
            if (name.equals("authorization") && exchange.authorizationIsEngramKey()) {
                return;
            }
            headers.add(header.getKey(), header.getValue());
        });
        headers.set(HttpHeaders.ACCEPT_ENCODING, "identity");
        headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
        return headers;
    }
}
