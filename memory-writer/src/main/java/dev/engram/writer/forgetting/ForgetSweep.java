package dev.engram.writer.forgetting;

import dev.engram.writer.config.MemoriesConfig;
import dev.engram.writer.memories.MemoryStorageException;
import dev.engram.writer.memories.MemoryWrites;
import dev.engram.writer.store.MemoryStore;
import dev.engram.writer.store.MemoryStore.ExpiredMemory;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Records expired memories as forgotten: every {@code writer.memories.forget-sweep-interval}, memories whose
 * {@code forgetAfter} has passed are marked {@code is_forgotten} (reason {@code expired} unless they had one) under
 * their tag's lock, and their vector points updated. Reads already treat them as forgotten the moment they expire;
 * the sweep makes the rows and the index say so too.
 *
 * <p>Runs on its own daemon thread (the service has no scheduler extension). Each replica sweeps; the tag lock and
 * the "not yet forgotten" condition make concurrent sweeps harmless.
 */
@ApplicationScoped
public class ForgetSweep {

    private static final Logger LOG = Logger.getLogger(ForgetSweep.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MemoryStore store;

    @Inject
    MemoryWrites writes;

    @Inject
    MemoriesConfig config;

    @Inject
    Clock clock;

    private ScheduledExecutorService scheduler;

    void start(@Observes StartupEvent event) {
        Duration interval = config.forgetSweepInterval();
        if (interval.isZero() || interval.isNegative()) {
            LOG.info("memory expiry sweep is off (writer.memories.forget-sweep-interval=0)");
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "memory-forget-sweep");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * Records every memory that has expired by now as forgotten, a batch at a time.
     *
     * @return how many were recorded
     */
    public int sweep() {
        int recorded = 0;
        while (true) {
            List<ExpiredMemory> expired = expiredBatch();
            if (expired.isEmpty()) {
                break;
            }
            Map<String, Map<String, List<String>>> byTag = new LinkedHashMap<>();
            for (ExpiredMemory memory : expired) {
                byTag.computeIfAbsent(memory.orgId(), org -> new LinkedHashMap<>())
                        .computeIfAbsent(memory.containerTag(), tag -> new java.util.ArrayList<>())
                        .add(memory.id());
            }
            int round = 0;
            for (var org : byTag.entrySet()) {
                for (var tag : org.getValue().entrySet()) {
                    round += writes.inTag(org.getKey(), tag.getKey(), session -> session.recordExpired(tag.getValue()))
                            .size();
                }
            }
            recorded += round;
            if (round == 0 || expired.size() < config.forgetSweepBatch()) {
                break; // a full batch of which nothing could be recorded would come back unchanged
            }
        }
        if (recorded > 0) {
            LOG.debugf("recorded %d expired memory(ies) as forgotten", recorded);
        }
        return recorded;
    }

    private List<ExpiredMemory> expiredBatch() {
        try (Connection connection = dataSource.getConnection()) {
            return store.expired(connection, clock.instant(), config.forgetSweepBatch());
        } catch (SQLException e) {
            throw new MemoryStorageException("looking for expired memories failed", e);
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("memory expiry sweep failed, trying again next round: %s", e.toString());
        }
    }
}
