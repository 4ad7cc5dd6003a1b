package dev.engram.deploy;

import dev.engram.deploy.gateway.Backend;
import dev.engram.deploy.gateway.BackendHealth;
import dev.engram.deploy.gateway.Gateway;
import dev.engram.deploy.gateway.GatewayOptions;
import dev.engram.deploy.gateway.RouteTable;
import dev.engram.deploy.stack.InfraEndpoints;
import dev.engram.deploy.stack.Infrastructure;
import dev.engram.deploy.stack.LogTail;
import dev.engram.deploy.stack.PortCheck;
import dev.engram.deploy.stack.ProcessSupervisor;
import dev.engram.deploy.stack.ReadinessWait;
import dev.engram.deploy.stack.ServiceCommand;
import dev.engram.deploy.stack.ServiceProcess;
import dev.engram.deploy.stack.ServiceSpec;
import dev.engram.deploy.stack.ShutdownSequence;
import dev.engram.deploy.stack.StackConfig;
import dev.engram.deploy.stack.StartupTable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The one-machine Engram stack: embedded PostgreSQL and Kafka, the four services as child processes, and the
 * gateway that serves the whole API on one port (6767).
 *
 * <p>It prints a table of the components and {@value #READY_BANNER} followed by the URL once every service is
 * ready, then runs until SIGTERM or SIGINT, when it stops the gateway, the services, Kafka and PostgreSQL, in
 * that order. If the stack cannot start it prints why (with the failing service's log) and exits with 1.
 * Configuration: environment variables, see {@link StackConfig}.
 */
public final class LocalStack {

    /** What the launcher prints, followed by the gateway's URL, once every service is ready. */
    public static final String READY_BANNER = "Engram is ready on ";

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration STARTUP_SETTLE_TIMEOUT = Duration.ofMinutes(2);
    private static final int FAILURE_TAIL_LINES = 40;

    /** Not static: created after {@link #main} has configured logging. */
    private final System.Logger log = System.getLogger("engram.stack");

    private final StackConfig config;
    private final ShutdownSequence shutdown = new ShutdownSequence();
    private final CountDownLatch startupSettled = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean stopRequested;

    private LocalStack(StackConfig config) {
        this.config = config;
    }

    /**
     * Runs the stack until the process is told to stop.
     *
     * @param args none
     */
    public static void main(String[] args) {
        // Before anything touches java.util.logging: one line per record, and logging that lasts through shutdown.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        System.setProperty("java.util.logging.manager", StackLogManager.class.getName());
        StackConfig config;
        try {
            config = StackConfig.fromEnv(
                    System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.home")));
        } catch (IllegalArgumentException e) {
            System.err.println("engram: " + e.getMessage());
            System.exit(2);
            return;
        }
        new LocalStack(config).run();
    }

    private void run() {
        // SIGTERM and SIGINT are handled directly, so the ordered stop runs before any JVM shutdown hook (the
        // embedded PostgreSQL stops itself from one, which would race the services' shutdown). The hook stays
        // as the fallback for any other exit.
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), this::onSignal);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "engram-shutdown"));
        boolean ready = false;
        try {
            ready = start();
        } catch (Exception e) {
            if (!stopRequested) {
                log.log(Level.ERROR, "Engram failed to start: " + e.getMessage(), e);
            }
        } finally {
            startupSettled.countDown();
        }
        if (!ready) {
            stop(); // what did start; a concurrent signal or hook waits for this to finish
            System.exit(1);
        }
        awaitShutdown();
    }

    /** Starts everything; returns true once every spawned service is ready. */
    private boolean start() throws Exception {
        Files.createDirectories(config.logDir());
        Files.createDirectories(config.runDir());
        Files.createDirectories(config.dataDir());
        Files.writeString(
                config.home().resolve("stack.pid"),
                Long.toString(ProcessHandle.current().pid()));
        Files.deleteIfExists(readyFile());
        List<String> taken = PortCheck.taken(portsNeeded());
        if (!taken.isEmpty()) {
            log.log(
                    Level.ERROR,
                    () -> "Cannot start: " + String.join("; ", taken)
                            + ". Is another Engram running? (./engram status)");
            return false;
        }
        log.log(Level.INFO, () -> "Starting Engram in " + config.home());

        InfraEndpoints infra = Infrastructure.start(config, shutdown);
        log.log(Level.INFO, () -> "Infrastructure ready: " + infra);

        ProcessSupervisor supervisor = new ProcessSupervisor(config.runDir(), SERVICE_STOP_GRACE);
        shutdown.add("services", supervisor::close);
        // On this (main) thread, which lives as long as the launcher: see ServiceProcess.tiedToLauncher.
        for (ServiceSpec service : config.spawnedServices()) {
            supervisor.start(ServiceCommand.of(service, config, infra));
        }

        Gateway gateway = Gateway.start(
                GatewayOptions.of(config.gatewayHost(), config.gatewayPort(), RouteTable.engram(), backends()));
        shutdown.add("gateway", gateway::close);
        log.log(Level.INFO, () -> "Gateway listening on " + config.gatewayHost() + ":" + gateway.port());

        ReadinessWait wait = new ReadinessWait(
                () -> gateway.health().toCompletionStage().toCompletableFuture().join(),
                supervisor::firstExited,
                () -> stopRequested);
        return switch (wait.await(config.spawned(), config.readyTimeout())) {
            case ReadinessWait.Outcome.Ready r -> {
                announceReady(supervisor, r.took());
                yield true;
            }
            case ReadinessWait.Outcome.Exited e -> {
                ServiceProcess dead = e.process();
                log.log(
                        Level.ERROR,
                        () -> dead.service().name() + " exited before it was ready (code " + dead.exitValue()
                                + "); its log: " + dead.logFile());
                yield false;
            }
            case ReadinessWait.Outcome.TimedOut t -> {
                reportNotReady(t.notReady());
                yield false;
            }
            case ReadinessWait.Outcome.Cancelled c -> false;
        };
    }

    private void announceReady(ProcessSupervisor supervisor, Duration took) throws IOException {
        String self = Long.toString(ProcessHandle.current().pid());
        String stackLog = config.logDir().resolve("stack.log").toString();
        String gatewayUrl = "http://localhost:" + config.gatewayPort();
        StartupTable table = new StartupTable().add("gateway", gatewayUrl, self, stackLog);
        for (ServiceSpec service : config.services()) {
            String url = "http://127.0.0.1:" + service.port();
            supervisor.processes().stream()
                    .filter(p -> p.service().equals(service))
                    .findFirst()
                    .ifPresentOrElse(
                            p -> table.add(
                                    service.name(),
                                    url,
                                    Long.toString(p.pid()),
                                    p.logFile().toString()),
                            () -> table.add(service.name(), url, "-", "not spawned (ENGRAM_SERVICES)"));
        }
        table.add("kafka", "localhost:" + config.kafkaPort(), self + " (launcher)", stackLog);
        table.add(
                "postgresql",
                "localhost:" + config.postgresPort() + "/" + StackConfig.DATABASE,
                Infrastructure.postgresPid(config.postgresDir()).orElse("-"),
                Infrastructure.postgresLog(config.postgresDir()).toString());
        String banner = table.render() + READY_BANNER + gatewayUrl + "\n";
        Files.writeString(readyFile(), banner);
        log.log(Level.INFO, () -> "All services ready in " + took.toMillis() + " ms");
        System.out.print(banner);
        System.out.flush();
    }

    private void reportNotReady(List<BackendHealth> notReady) {
        for (BackendHealth health : notReady) {
            String name = health.backend().service();
            Path logFile = config.logDir().resolve(name + ".log");
            log.log(
                    Level.ERROR,
                    () -> name + " was not ready within "
                            + config.readyTimeout().toSeconds() + " s ("
                            + health.detail() + "); last lines of " + logFile + ":\n"
                            + String.join("\n", LogTail.of(logFile, FAILURE_TAIL_LINES)));
        }
    }

    /** Stops in order, then exits with the conventional status for the signal (143 for SIGTERM, 130 for SIGINT). */
    private void onSignal(Signal signal) {
        log.log(Level.INFO, () -> "Received SIG" + signal.getName());
        stop();
        System.exit(128 + signal.getNumber());
    }

    /**
     * Waits for a start in progress to settle, then stops everything in order. Runs once; a concurrent or later
     * call waits until that stop has finished.
     */
    private void stop() {
        stopRequested = true;
        if (!stopping.compareAndSet(false, true)) {
            shutdown.close(); // returns once the stop in progress has finished
            return;
        }
        try {
            if (!startupSettled.await(STARTUP_SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.log(Level.WARNING, "Startup did not settle; stopping what has started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.log(Level.INFO, "Stopping Engram");
        shutdown.close();
        try {
            Files.deleteIfExists(readyFile());
            Files.deleteIfExists(config.home().resolve("stack.pid"));
        } catch (IOException e) {
            // Left behind files are harmless: ./engram checks the pid it finds.
        }
        log.log(Level.INFO, "Engram stopped");
    }

    private static void awaitShutdown() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Backend> backends() {
        return config.services().stream()
                .map(s -> new Backend(s.name(), "127.0.0.1", s.port()))
                .toList();
    }

    private Map<Integer, String> portsNeeded() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(config.gatewayPort(), "gateway");
        ports.put(config.kafkaPort(), "Kafka");
        ports.put(config.kafkaControllerPort(), "Kafka controller");
        ports.put(config.postgresPort(), "PostgreSQL");
        config.spawnedServices().forEach(s -> ports.put(s.port(), s.name()));
        return ports;
    }

    private Path readyFile() {
        return config.runDir().resolve("ready.txt");
    }
}
