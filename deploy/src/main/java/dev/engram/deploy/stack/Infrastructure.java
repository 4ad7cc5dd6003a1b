package dev.engram.deploy.stack;

import dev.engram.embedded.EmbeddedKafka;
import dev.engram.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Starts the shared infrastructure — embedded PostgreSQL (with the {@code engram} database) and embedded Kafka —
 * side by side, and registers both for shutdown so that Kafka stops before PostgreSQL.
 */
public final class Infrastructure {

    private static final System.Logger LOG = System.getLogger("engram.stack");

    private Infrastructure() {}

    /**
     * Starts both and waits for both. If either fails, the other is still registered for shutdown.
     *
     * @param config where their data lives and which ports they use
     * @param shutdown the sequence that will stop them
     * @return how the services reach them
     * @throws Exception if either cannot start
     */
    public static InfraEndpoints start(StackConfig config, ShutdownSequence shutdown) throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "engram-infra-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<EmbeddedPostgres> postgres = starter.submit(timed("PostgreSQL", () -> {
                EmbeddedPostgres pg = EmbeddedPostgres.start(
                        new EmbeddedPostgres.Options(config.postgresDir(), config.postgresPort()));
                pg.createDatabase(StackConfig.DATABASE);
                return pg;
            }));
            Future<EmbeddedKafka> kafka = starter.submit(timed(
                    "Kafka",
                    () -> EmbeddedKafka.start(new EmbeddedKafka.Options(
                            config.kafkaDir(), config.kafkaPort(), config.kafkaControllerPort()))));
            // PostgreSQL first, so it is stopped last.
            Optional<EmbeddedPostgres> pg = register(postgres, "PostgreSQL", EmbeddedPostgres::close, shutdown);
            Optional<EmbeddedKafka> broker = register(kafka, "Kafka", EmbeddedKafka::close, shutdown);
            Exception failure = null;
            failure = failureOf(postgres, "PostgreSQL", failure);
            failure = failureOf(kafka, "Kafka", failure);
            if (failure != null) {
                throw failure;
            }
            EmbeddedPostgres db = pg.orElseThrow();
            return new InfraEndpoints(
                    broker.orElseThrow().bootstrapServers(),
                    db.jdbcUrl(StackConfig.DATABASE),
                    db.reactiveUrl(StackConfig.DATABASE),
                    db.username(),
                    db.password());
        } finally {
            starter.shutdown();
        }
    }

    /**
     * Reads the PostgreSQL server's pid from its {@code postmaster.pid}, for the startup table.
     *
     * @param postgresDir PostgreSQL's data folder (the file may be one level down)
     * @return the pid, if the server runs
     */
    public static Optional<String> postgresPid(Path postgresDir) {
        try (Stream<Path> files = Files.find(
                postgresDir, 2, (path, attrs) -> path.getFileName().toString().equals("postmaster.pid"))) {
            Optional<Path> pidFile = files.findFirst();
            if (pidFile.isEmpty()) {
                return Optional.empty();
            }
            return Files.readAllLines(pidFile.get()).stream().findFirst().map(String::trim);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param postgresDir PostgreSQL's data folder
     * @return where the embedded server writes its log
     */
    public static Path postgresLog(Path postgresDir) {
        return postgresDir.resolve("log").resolve("postgresql.log");
    }

    private static <T> Callable<T> timed(String name, Callable<T> start) {
        return () -> {
            long begin = System.nanoTime();
            LOG.log(Level.INFO, () -> "Starting " + name);
            T started = start.call();
            long millis = (System.nanoTime() - begin) / 1_000_000;
            LOG.log(Level.INFO, () -> "Started " + name + " in " + millis + " ms");
            return started;
        };
    }

    private static <T> Optional<T> register(
            Future<T> starting, String name, StopAction<T> stop, ShutdownSequence shutdown) {
        T started;
        try {
            started = starting.get();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        shutdown.add(name, () -> stop.stop(started));
        return Optional.of(started);
    }

    private static Exception failureOf(Future<?> starting, String name, Exception earlier) {
        if (starting.state() != Future.State.FAILED) {
            return earlier;
        }
        Exception failure = new IllegalStateException(
                name + " did not start: " + starting.exceptionNow().getMessage(), starting.exceptionNow());
        if (earlier != null) {
            earlier.addSuppressed(failure);
            return earlier;
        }
        return failure;
    }

    @FunctionalInterface
    private interface StopAction<T> {
        void stop(T started) throws Exception;
    }
}
