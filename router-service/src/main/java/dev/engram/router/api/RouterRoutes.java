package dev.engram.router.api;

import dev.engram.core.auth.Authenticator;
import dev.engram.core.auth.Caller;
import dev.engram.router.auth.KeyVerifier;
import dev.engram.router.chat.ChatApi;
import dev.engram.router.config.RouterConfig;
import dev.engram.router.proxy.ChatProxy;
import dev.engram.router.proxy.Exchange;
import dev.engram.router.upstream.UpstreamPolicy;
import dev.engram.router.upstream.UpstreamRefusedException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import org.jboss.logging.Logger;

/**
 * The router's HTTP endpoints, on Vert.x routes so the provider URL can ride in the path as it is and answers stream
 * through without buffering:
 *
 * <ul>
 *   <li>{@code POST /v3/{provider-url}/chat/completions}: OpenAI Chat Completions and compatibles;
 *   <li>{@code POST /v3/{provider-url}/messages}: Anthropic Messages;
 *   <li>{@code POST /v1/chat/completions}: Chat Completions to {@code router.upstream.default-url}.
 * </ul>
 *
 * Here the Engram key is checked (before the body is read), the body is read up to {@code router.max-request-bytes},
 * and the provider URL is taken from the raw path; the rest is {@link ChatProxy}'s.
 */
@ApplicationScoped
public class RouterRoutes {

    /** Header carrying the Engram key. */
    public static final String ENGRAM_KEY_HEADER = "x-supermemory-api-key";

    private static final String BEARER = "Bearer ";
    private static final String PREFIX = "/v3/";

    private static final Logger LOG = Logger.getLogger(RouterRoutes.class);

    @Inject
    KeyVerifier verifier;

    @Inject
    RouterConfig config;

    @Inject
    ChatProxy proxy;

    void routes(@Observes Router router) {
        router.postWithRegex("/v3/.+/chat/completions").handler(ctx -> accept(ctx, ChatApi.OPENAI_CHAT, true));
        router.postWithRegex("/v3/.+/messages").handler(ctx -> accept(ctx, ChatApi.ANTHROPIC_MESSAGES, true));
        router.post("/v1/chat/completions").handler(ctx -> accept(ctx, ChatApi.OPENAI_CHAT, false));
        router.routeWithRegex("/v3/.+")
                .handler(ctx -> RouterError.notFound(
                                "the router serves POST {provider-url}/chat/completions and {provider-url}/messages")
                        .send(ctx.response(), ChatApi.OPENAI_CHAT));
    }

    private void accept(RoutingContext ctx, ChatApi api, boolean providerInPath) {
        HttpServerRequest request = ctx.request();
        request.pause(); // the body waits until the key is known to be good
        String presented = presentedKey(request);
        if (presented == null || presented.isBlank()) {
            RouterError.unauthorized("send the Engram API key in " + ENGRAM_KEY_HEADER
                            + " (the provider's key stays in its own header)")
                    .send(ctx.response(), api);
            return;
        }
        if (!verifier.acceptsAnyKey()) {
            RouterError.unauthorized("no API key is configured on this server (engram.auth.bootstrap-key)")
                    .send(ctx.response(), api);
            return;
        }
        verifier.verify(presented, Vertx.currentContext()).onComplete(verified -> {
            if (verified.failed()) {
                LOG.warnf("cannot verify an Engram key: %s", verified.cause().toString());
                RouterError.keyCheckUnavailable().send(ctx.response(), api);
                return;
            }
            switch (verified.result()) {
                case Authenticator.Outcome.Rejected rejected ->
                    RouterError.unauthorized(rejected.reason()).send(ctx.response(), api);
                case Authenticator.Outcome.Authenticated authenticated -> {
                    long wait = verifier.acquire(authenticated.caller());
                    if (wait > 0) {
                        ctx.response().putHeader("Retry-After", Long.toString(wait));
                        RouterError.tooManyRequests(wait).send(ctx.response(), api);
                    } else {
                        admitted(ctx, api, providerInPath, authenticated.caller(), presented.strip());
                    }
                }
            }
        });
    }

    private void admitted(RoutingContext ctx, ChatApi api, boolean providerInPath, Caller identity, String engramKey) {
        HttpServerRequest request = ctx.request();
        // Authorization that carries the Engram key never reaches the provider, whichever header authenticated.
        String bearer = bearer(request);
        boolean authorizationIsEngramKey = bearer != null && bearer.strip().equals(engramKey);

        String uri = request.uri();
        int question = uri.indexOf('?');
        String rawPath = question < 0 ? uri : uri.substring(0, question);
        String query = question < 0 ? "" : forwardedQuery(uri.substring(question + 1));
        URI baseUrl;
        try {
            baseUrl = providerInPath ? UpstreamPolicy.parseBaseUrl(providerUrl(rawPath, api)) : defaultUpstream();
        } catch (UpstreamRefusedException e) {
            RouterError.badRequest("invalid_provider_url", e.getMessage()).send(ctx.response(), api);
            return;
        } catch (IllegalStateException e) {
            RouterError.notFound(e.getMessage()).send(ctx.response(), api);
            return;
        }

        int max = config.maxRequestBytes();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length, max)) {
            closeAfterAnswer(request);
            RouterError.tooLarge(max).send(ctx.response(), api);
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue(); // the key and the size are fine: send the body (curl waits a second else)
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > max) {
                refused[0] = true;
                closeAfterAnswer(request);
                RouterError.tooLarge(max).send(ctx.response(), api);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> refused[0] = true);
        request.endHandler(done -> {
            if (!refused[0]) {
                proxy.handle(new Exchange(
                        ctx,
                        api,
                        baseUrl,
                        query,
                        body.getBytes(),
                        request.getParam(dev.engram.router.api.Caller.USER_PARAM),
                        authorizationIsEngramKey,
                        identity,
                        engramKey));
            }
        });
        request.resume();
    }

    /**
     * The Engram key is {@code x-supermemory-api-key}, or, without that header, {@code Authorization: Bearer} (the
     * provider's key then travels in another header, such as Anthropic's {@code x-api-key}).
     */
    private static String presentedKey(HttpServerRequest request) {
        String presented = request.getHeader(ENGRAM_KEY_HEADER);
        return presented != null ? presented : bearer(request);
    }

    /** The token of {@code Authorization: Bearer}, or {@code null}. */
    private static String bearer(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length())
                : null;
    }

    private URI defaultUpstream() {
        return config.upstream()
                .defaultUrl()
                .orElseThrow(() -> new IllegalStateException(
                        "no default upstream is configured (router.upstream.default-url); put the provider's URL in"
                                + " the path: /v3/{provider-url}/chat/completions"));
    }

    /** The provider URL between {@code /v3/} and the endpoint's suffix, as the client wrote it. */
    static String providerUrl(String rawPath, ChatApi api) {
        return rawPath.substring(
                PREFIX.length(), rawPath.length() - api.pathSuffix().length());
    }

    /** The query string for the provider: the client's, without the router's own {@code userId}. */
    static String forwardedQuery(String query) {
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            String userParam = dev.engram.router.api.Caller.USER_PARAM;
            if (pair.isEmpty() || pair.equals(userParam) || pair.startsWith(userParam + "=")) {
                continue;
            }
            kept.append(kept.isEmpty() ? "?" : "&").append(pair);
        }
        return kept.toString();
    }

    /** An HTTP/1 connection whose request body is left unread cannot carry another request. */
    private static void closeAfterAnswer(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2) {
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
    }

    private static boolean tooLarge(String contentLength, int max) {
        try {
            return Long.parseLong(contentLength.strip()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed length itself
        }
    }
}
