package dev.engram.deploy.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The readiness of one service, as its {@code /q/health/ready} endpoint reported it.
 *
 * @param backend the service probed
 * @param ready true when the endpoint answered 200
 * @param detail {@code UP}, the HTTP status it answered, or why it could not be reached
 */
public record BackendHealth(Backend backend, boolean ready, String detail) {

    /** @return this health as the JSON object {@code GET /health} lists */
    public JsonObject toJson() {
        return new JsonObject()
                .put("service", backend.service())
                .put("url", backend.baseUrl())
                .put("status", ready ? "UP" : "DOWN")
                .put("detail", detail);
    }
}
