package dev.engram.router.proxy;

import dev.engram.core.auth.Caller;
import dev.engram.router.chat.ChatApi;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * One accepted request, its body read, on its way to the provider.
 *
 * @param ctx the Vert.x request and response
 * @param api which provider API the client speaks
 * @param baseUrl the provider's base URL, not yet checked against the upstream policy
 * @param query the query string for the provider ({@code ?a=b}, or empty), the router's own parameters removed
 * @param body the request body as received
 * @param userParam {@code ?userId=}, or {@code null}
 * @param authorizationIsEngramKey whether {@code Authorization} carried the Engram key (then it is not forwarded)
 * @param identity who the Engram key is: its organisation, and for a scoped key its one container tag
 * @param engramKey the Engram key itself, presented to search- and ingest-service on the caller's behalf
 */
public record Exchange(
        RoutingContext ctx,
        ChatApi api,
        URI baseUrl,
        String query,
        byte[] body,
        String userParam,
        boolean authorizationIsEngramKey,
        Caller identity,
        String engramKey) {

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "Exchange[api=" + api + ", baseUrl=" + baseUrl + ", key=" + identity.keyId() + "]";
    }
}
