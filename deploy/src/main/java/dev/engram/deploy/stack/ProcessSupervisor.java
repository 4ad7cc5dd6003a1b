package dev.engram.deploy.stack;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts the services as child processes, reports any that dies while the stack runs, and stops them all.
 *
 * <p>While a service runs, its pid is in {@code <run dir>/<service>.pid}, so {@code ./engram down} can find it
 * even if the launcher itself was killed. No restart policy: a dead service is reported, not revived.
 */
public final class ProcessSupervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("engram.supervisor");
    private static final int TAIL_LINES = 30;

    private final Path runDir;
    private final Duration grace;
    private final List<ServiceProcess> processes = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /**
     * @param runDir where pid files go
     * @param grace how long each service gets to exit after SIGTERM before it is killed
     */
    public ProcessSupervisor(Path runDir, Duration grace) {
        this.runDir = runDir;
        this.grace = grace;
    }

    /**
     * Starts one service and watches it.
     *
     * @param command what to run
     * @return the running service
     * @throws IOException if it cannot be started
     * @throws IllegalStateException if the supervisor is stopping
     */
    public ServiceProcess start(ServiceCommand command) throws IOException {
        ServiceProcess process;
        // Under the lock, so close() either sees this process or refuses to start it.
        synchronized (this) {
            if (stopping) {
                throw new IllegalStateException("The stack is stopping; not starting "
                        + command.service().name());
            }
            process = ServiceProcess.start(command);
            processes.add(process);
        }
        Files.createDirectories(runDir);
        Files.writeString(pidFile(process), Long.toString(process.pid()));
        process.onExit().thenRun(() -> onExit(process));
        LOG.log(
                Level.INFO,
                () -> "Started " + describe(process) + " on port "
                        + process.service().port());
        return process;
    }

    /** @return the services started so far */
    public List<ServiceProcess> processes() {
        return List.copyOf(processes);
    }

    /** @return a service that has exited, if any */
    public Optional<ServiceProcess> firstExited() {
        return processes.stream().filter(p -> !p.isAlive()).findFirst();
    }

    /** Stops every service at once (SIGTERM, then SIGKILL after the grace period) and waits for all. */
    @Override
    public void close() {
        synchronized (this) {
            stopping = true;
        }
        // One thread per service, so they all get SIGTERM at once and shut down side by side.
        List<Thread> stops = processes.stream()
                .map(p -> Thread.ofPlatform()
                        .name("engram-stop-" + p.service().name())
                        .start(() -> stop(p)))
                .toList();
        for (Thread stop : stops) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stop(ServiceProcess process) {
        if (!process.isAlive()) {
            deletePidFile(process);
            return; // its exit was reported when it happened
        }
        long started = System.nanoTime();
        boolean graceful = process.stop(grace);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (graceful) {
            LOG.log(Level.INFO, () -> "Stopped " + describe(process) + " in " + millis + " ms");
        } else {
            LOG.log(
                    Level.WARNING,
                    () -> "Killed " + describe(process) + ": still running " + grace.toSeconds() + " s after SIGTERM");
        }
        deletePidFile(process);
    }

    private void onExit(ServiceProcess process) {
        if (stopping) {
            return;
        }
        deletePidFile(process);
        LOG.log(
                Level.ERROR,
                () -> describe(process) + " exited unexpectedly with code " + process.exitValue()
                        + "; last lines of " + process.logFile() + ":\n"
                        + String.join("\n", LogTail.of(process.logFile(), TAIL_LINES)));
    }

    private Path pidFile(ServiceProcess process) {
        return runDir.resolve(process.service().name() + ".pid");
    }

    private void deletePidFile(ServiceProcess process) {
        try {
            Files.deleteIfExists(pidFile(process));
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "Cannot delete " + pidFile(process) + ": " + e.getMessage());
        }
    }

    private static String describe(ServiceProcess process) {
        return process.service().name() + " (pid " + process.pid() + ")";
    }
}
