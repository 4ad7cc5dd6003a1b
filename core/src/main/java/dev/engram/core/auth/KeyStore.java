package dev.engram.core.auth;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where a service looks keys up: ingest-service's table, read directly or through ingest-service. */
@FunctionalInterface
public interface KeyStore {

    /**
     * The key whose {@link ApiKeys#hash} is {@code hash}, revoked and expired ones included (the caller decides).
     * The stage fails if the store cannot be reached.
     */
    CompletionStage<Optional<StoredKey>> findByHash(String hash);

    /**
     * The key {@code key}, as {@link #findByHash} finds it by its hash. A store that cannot look up hashes (one that
     * asks ingest-service, presenting the key) overrides this instead.
     */
    default CompletionStage<Optional<StoredKey>> findByKey(String key) {
        return findByHash(ApiKeys.hash(key));
    }
}
