package dev.engram.router.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.router.chat.ChatApi;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * An error the router itself answers, in the shape the client's SDK parses: OpenAI's {@code {"error": {"message",
 * "type", "code"}}} on chat completions, Anthropic's {@code {"type": "error", "error": {"type", "message"}}} on
 * messages. Provider errors are not these: they are passed through as the provider sent them.
 *
 * @param status the HTTP status
 * @param type the SDKs' error type, e.g. {@code invalid_request_error}
 * @param code a stable code for programs, e.g. {@code upstream_not_allowed}
 * @param message what went wrong, for people; never a key, a prompt or a memory
 */
public record RouterError(int status, String type, String code, String message) {

    public static RouterError badRequest(String code, String message) {
        return new RouterError(400, "invalid_request_error", code, message);
    }

    public static RouterError unauthorized(String message) {
        return new RouterError(401, "authentication_error", "invalid_api_key", message);
    }

    public static RouterError forbidden(String code, String message) {
        return new RouterError(403, "permission_error", code, message);
    }

    /** A key over its rate limit; send {@code Retry-After} with it. */
    public static RouterError tooManyRequests(long retryAfterSeconds) {
        return new RouterError(
                429,
                "rate_limit_error",
                "rate_limit_exceeded",
                "this Engram API key is over its rate limit; retry in " + retryAfterSeconds + " s");
    }

    /** The key could not be checked now (ingest-service unreachable); the request was not forwarded. */
    public static RouterError keyCheckUnavailable() {
        return new RouterError(
                503, "api_error", "auth_unavailable", "the Engram API key cannot be verified right now; try again");
    }

    public static RouterError notFound(String message) {
        return new RouterError(404, "not_found_error", "not_found", message);
    }

    public static RouterError tooLarge(int maxBytes) {
        return new RouterError(
                413,
                "request_too_large",
                "request_too_large",
                "the request body is larger than this router accepts (" + maxBytes
                        + " bytes, router.max-request-bytes)");
    }

    public static RouterError internal(String message) {
        return new RouterError(500, "api_error", "internal_error", message);
    }

    public static RouterError upstreamUnreachable(String message) {
        return new RouterError(502, "api_error", "upstream_unreachable", message);
    }

    public static RouterError upstreamTimeout(String message) {
        return new RouterError(504, "api_error", "upstream_timeout", message);
    }

    /** The JSON body for the given API. */
    public String body(ChatApi api) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (api == ChatApi.ANTHROPIC_MESSAGES) {
            root.put("type", "error");
            ObjectNode error = root.putObject("error");
            error.put("type", type);
            error.put("message", message);
        } else {
            ObjectNode error = root.putObject("error");
            error.put("message", message);
            error.put("type", type);
            error.put("code", code);
        }
        return root.toString();
    }

    /** Answers the request with this error, unless an answer was already started. */
    public void send(HttpServerResponse response, ChatApi api) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body(api));
    }
}
