package dev.engram.router.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.auth.KeyRole;
import dev.engram.core.auth.KeyStore;
import dev.engram.core.auth.RateLimit;
import dev.engram.core.auth.StoredKey;
import dev.engram.router.services.BoundedCall;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Asks ingest-service who a key is ({@code GET /v3/auth/key}, presenting the key): the router keeps no database.
 * 200 is the key; 401 means no valid key (unknown, revoked or expired); anything else, or no answer in time, fails
 * the lookup.
 */
public final class IngestKeyStore implements KeyStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BoundedCall call;
    private final String keyUri;

    public IngestKeyStore(Vertx vertx, URI ingestUrl, Duration timeout) {
        this.call = new BoundedCall(vertx, BoundedCall.client(vertx, timeout), "ingest", "auth", timeout);
        this.keyUri = BoundedCall.root(ingestUrl) + "/v3/auth/key";
    }

    @Override
    public CompletionStage<Optional<StoredKey>> findByHash(String hash) {
        throw new UnsupportedOperationException("ingest-service is asked by key, not by hash");
    }

    @Override
    public CompletionStage<Optional<StoredKey>> findByKey(String key) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(keyUri);
        return call.send(options, null, Optional.of(key), (status, body) -> switch (status) {
                    case 200 -> Optional.of(read(body));
                    case 401 -> Optional.<StoredKey>empty();
                    default -> throw call.error("ingest answered " + status + " to a key lookup");
                })
                .toCompletionStage();
    }

    private StoredKey read(Buffer body) {
        try {
            JsonNode key = JSON.readTree(body.getBytes());
            JsonNode max = key.path("rateLimitMax");
            JsonNode window = key.path("rateLimitTimeWindow");
            JsonNode tag = key.path("containerTag");
            return new StoredKey(
                    key.path("id").asText(),
                    key.path("orgId").asText(),
                    KeyRole.fromStored(key.path("role").asText()),
                    tag.isTextual() ? tag.asText() : null,
                    max.isNumber() && window.isNumber()
                            ? new RateLimit(max.asInt(), Duration.ofMillis(window.asLong()))
                            : null,
                    null,
                    null);
        } catch (Exception e) { // not JSON, or not a key
            throw call.error("ingest answered a key lookup that cannot be read");
        }
    }

    /** Closes the HTTP client. */
    public void close() {
        call.client().close();
    }
}
