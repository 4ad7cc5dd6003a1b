package dev.engram.faults;

import dev.engram.deploy.stack.InfraEndpoints;
import dev.engram.deploy.stack.ServiceCommand;
import dev.engram.deploy.stack.ServiceProcess;
import dev.engram.deploy.stack.ServiceSpec;
import dev.engram.deploy.stack.StackConfig;
import dev.engram.embedded.EmbeddedKafka;
import dev.engram.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The part of the local stack the pipeline needs, started the way the launcher starts it but with handles to break
 * it: embedded PostgreSQL (a child process), the embedded Kafka broker (in this JVM), and ingest-service and
 * memory-writer as their packaged jars in child JVMs, built by the launcher's {@link ServiceCommand} and started by
 * its {@link ServiceProcess}. Every port is a free one and everything lives in a temporary {@code ENGRAM_HOME}, so a
 * stack already running on the usual ports is never touched.
 *
 * <p>Children never outlive this JVM: the services are started through {@code setpriv --pdeathsig} by {@link
 * ServiceProcess} (from the test's main thread, which lives as long as the JVM), PostgreSQL has its own parent-death
 * signal, and a shutdown hook stops what {@link #close()} did not.
 */
final class FaultStack implements AutoCloseable {

    static final String INGEST = "ingest-service";
    static final String WRITER = "memory-writer";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SERVICE_GRACE = Duration.ofSeconds(10);

    private final Path home;
    private final StackConfig config;
    private final EmbeddedPostgres postgres;
    private final EmbeddedKafka kafka;
    private final InfraEndpoints infra;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::stopEverything, "fault-stack-cleanup");
    private boolean closed;

    private FaultStack(Path home, StackConfig config, EmbeddedPostgres postgres, EmbeddedKafka kafka) {
        this.home = home;
        this.config = config;
        this.postgres = postgres;
        this.kafka = kafka;
        this.infra = new InfraEndpoints(
                kafka.bootstrapServers(),
                postgres.jdbcUrl(StackConfig.DATABASE),
                postgres.reactiveUrl(StackConfig.DATABASE),
                postgres.username(),
                postgres.password());
    }

    /**
     * Starts PostgreSQL and Kafka on free ports in a new temporary home; the services are started with {@link
     * #start(String)}.
     */
    static FaultStack startInfrastructure() throws IOException {
        Path repo = Path.of(System.getProperty("engram.repo", ".."))
                .toAbsolutePath()
                .normalize();
        Path home = Files.createTempDirectory("engram-faults-");
        Map<String, String> env = new HashMap<>();
        env.put("ENGRAM_REPO", repo.toString());
        env.put("ENGRAM_HOME", home.toString());
        env.put("ENGRAM_API_KEY", "em_faults_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        env.put("ENGRAM_SERVICES", INGEST + "," + WRITER);
        env.put("ENGRAM_SERVICE_HEAP", "384m");
        for (ServiceSpec spec : ServiceSpec.DEFAULTS) {
            env.put(spec.portVariable(), Integer.toString(freePort()));
        }
        StackConfig config = StackConfig.fromEnv(env, repo, Path.of(System.getProperty("java.home")));
        EmbeddedPostgres postgres =
                EmbeddedPostgres.start(new EmbeddedPostgres.Options(config.postgresDir(), 0, false));
        EmbeddedKafka kafka;
        try {
            postgres.createDatabase(StackConfig.DATABASE);
            kafka = EmbeddedKafka.start(new EmbeddedKafka.Options(config.kafkaDir(), 0, 0));
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        FaultStack stack = new FaultStack(home, config, postgres, kafka);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        return stack;
    }

    /** The installation's bootstrap key the services were given. */
    String bootstrapKey() {
        return config.apiKey();
    }

    /** {@code http://127.0.0.1:<port>} of a service. */
    URI baseUri(String service) {
        return URI.create("http://127.0.0.1:" + config.service(service).port());
    }

    /** Where memory-writer keeps its Lucene indexes. */
    Path luceneRoot() {
        return config.dataDir().resolve("index");
    }

    /** A new JDBC connection to the {@code engram} database, as the superuser. */
    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
    }

    /** Kafka's bootstrap servers. */
    String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    /**
     * Starts a service from its packaged jar and waits until it is ready.
     *
     * @param service {@link #INGEST} or {@link #WRITER}
     */
    synchronized void start(String service) throws IOException, InterruptedException {
        ServiceProcess running = services.get(service);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException(service + " already runs (pid " + running.pid() + ")");
        }
        ServiceCommand base = ServiceCommand.of(config.service(service), config, infra);
        Map<String, String> env = new HashMap<>(base.environment());
        env.putAll(extraEnvironment(service));
        ServiceProcess process = ServiceProcess.start(
                new ServiceCommand(base.service(), base.jar(), base.command(), env, base.workingDir(), base.logFile()));
        services.put(service, process);
        awaitReady(process);
    }

    /**
     * Settings the tests need beyond the launcher's. memory-writer takes a job left running by a dead worker up again
     * after 10 s instead of 10 minutes, so a killed writer's extraction jobs finish within the test.
     */
    private static Map<String, String> extraEnvironment(String service) {
        if (service.equals(WRITER)) {
            return Map.of("WRITER_EXTRACTION_LEASE", "10s");
        }
        return Map.of();
    }

    /** Kills a service with SIGKILL (no shutdown hook, no graceful stop) and waits for it to be gone. */
    synchronized void kill(String service) throws InterruptedException {
        ServiceProcess process = requireRunning(service);
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
        handle.destroyForcibly();
        process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    /** Whether the service's process still runs. */
    synchronized boolean isAlive(String service) {
        ServiceProcess process = services.get(service);
        return process != null && process.isAlive();
    }

    /** Whether a service runs and answers its readiness probe with 200 now. */
    boolean isReady(String service) throws InterruptedException {
        if (!isAlive(service)) {
            return false;
        }
        try {
            return http.send(
                                    HttpRequest.newBuilder(baseUri(service).resolve("/q/health/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last lines of a service's log, for failure messages. */
    String logTail(String service, int lines) {
        ServiceProcess process = services.get(service);
        if (process == null) {
            return "(never started)";
        }
        return String.join("\n", dev.engram.deploy.stack.LogTail.of(process.logFile(), lines));
    }

    /**
     * Writes a thread dump of a running service ({@code jcmd Thread.print}) beside its log, for a failure's
     * post-mortem; returns where, or why not.
     */
    String threadDump(String service) {
        ServiceProcess process = services.get(service);
        if (process == null || !process.isAlive()) {
            return "(" + service + " is not running)";
        }
        Path out = config.logDir().resolve(service + "-threads.txt");
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(process.pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
            return out.toString();
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** Stops the Kafka broker (a clean shutdown; clients see it go away), keeping its data and ports. */
    void stopKafka() {
        kafka.stop();
    }

    /** Starts the broker again on the same ports with the same data. */
    void startKafka() {
        kafka.restart();
    }

    /** Stops PostgreSQL (fast shutdown: open sessions are rolled back, connections dropped). */
    void stopPostgres() {
        postgres.stop();
    }

    /** Starts PostgreSQL again on the same port with the same data. */
    void startPostgres() {
        postgres.restart();
    }

    private ServiceProcess requireRunning(String service) {
        ServiceProcess process = services.get(service);
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(service + " is not running");
        }
        return process;
    }

    private void awaitReady(ServiceProcess process) throws InterruptedException {
        URI ready = baseUri(process.service().name()).resolve("/q/health/ready");
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.service().name() + " exited with code " + process.exitValue()
                        + " before it was ready:\n" + logTail(process.service().name(), 40));
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(process.service().name() + " was not ready within " + READY_TIMEOUT + ":\n"
                + logTail(process.service().name(), 40));
    }

    /** Stops the services, Kafka and PostgreSQL, and deletes the temporary home. Idempotent. */
    @Override
    public void close() {
        stopEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway and finds everything stopped
        }
    }

    private synchronized void stopEverything() {
        if (closed) {
            return;
        }
        closed = true;
        List.copyOf(services.values()).forEach(p -> p.stop(SERVICE_GRACE));
        try {
            kafka.close();
        } catch (RuntimeException e) {
            System.err.println("fault stack: stopping Kafka failed: " + e);
        }
        try {
            postgres.close();
        } catch (RuntimeException e) {
            System.err.println("fault stack: stopping PostgreSQL failed: " + e);
        }
        keepLogs();
        if (System.getenv("ENGRAM_FAULTS_KEEP") == null) {
            deleteTree(home);
        } else {
            System.err.println("fault stack: kept " + home);
        }
    }

    /** Copies the services' and PostgreSQL's logs to {@code engram.faults.logs} (the module's target folder). */
    private void keepLogs() {
        String target = System.getProperty("engram.faults.logs");
        if (target == null) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of(target));
            try (Stream<Path> logs = Files.list(config.logDir())) {
                for (Path log : logs.toList()) {
                    Files.copy(log, dir.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path pgLog = config.postgresDir().resolve("log").resolve("postgresql.log");
            if (Files.exists(pgLog)) {
                Files.copy(pgLog, dir.resolve("postgresql.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("fault stack: could not keep the logs: " + e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: a temporary directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
