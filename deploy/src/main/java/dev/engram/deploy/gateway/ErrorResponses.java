package dev.engram.deploy.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Supermemory-shaped error bodies ({@code {"error": "...", "details": "..."}}) the gateway answers itself. */
final class ErrorResponses {

    private ErrorResponses() {}

    /** Answers 404: no service serves the path. */
    static void notFound(HttpServerResponse response, String path) {
        send(response, 404, "Not found", "No Engram service serves " + path);
    }

    /** Answers 502: the service that serves the path could not be reached or broke the exchange. */
    static void badGateway(HttpServerResponse response, Backend backend, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        send(
                response,
                502,
                "Bad gateway",
                backend.service() + " is not reachable at " + backend.host() + ":" + backend.port() + ": " + reason);
    }

    /** Answers a JSON body with a status; does nothing if the response head was already sent. */
    static void send(HttpServerResponse response, int status, String error, String details) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject()
                        .put("error", error)
                        .put("details", details)
                        .encode());
    }
}
