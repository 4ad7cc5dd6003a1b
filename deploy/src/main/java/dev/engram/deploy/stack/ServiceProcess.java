package dev.engram.deploy.stack;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One running service: a child process of the launcher with its output in a log file. */
public final class ServiceProcess {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final ServiceCommand command;
    private final Process process;

    private ServiceProcess(ServiceCommand command, Process process) {
        this.command = command;
        this.process = process;
    }

    /**
     * Starts a service. Its stdout and stderr go to its log file, after a line with the command.
     *
     * @param command what to run
     * @return the started process
     * @throws IOException if the log cannot be written or the process cannot be started
     */
    public static ServiceProcess start(ServiceCommand command) throws IOException {
        if (!Files.isRegularFile(command.jar())) {
            throw new IOException(command.service().name() + " is not built: " + command.jar()
                    + " is missing (run ./mvnw -DskipTests package, or ./engram up which builds)");
        }
        Files.createDirectories(command.logFile().getParent());
        keepPreviousLog(command.logFile());
        Files.writeString(
                command.logFile(),
                "---- " + Instant.now() + " starting " + command.service().name() + ": "
                        + String.join(" ", command.command()) + System.lineSeparator(),
                StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(tiedToLauncher(command.command()))
                .directory(command.workingDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(command.logFile().toFile()))
                .redirectInput(Redirect.from(new File("/dev/null")));
        builder.environment().putAll(command.environment());
        return new ServiceProcess(command, builder.start());
    }

    /** Each start gets a fresh log; the previous run's stays beside it as {@code <service>.log.1}. */
    private static void keepPreviousLog(Path log) throws IOException {
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Prefixes {@code setpriv --pdeathsig TERM} (util-linux) when it exists, so the kernel sends the service
     * SIGTERM should the launcher die without running its shutdown hook (SIGKILL, a crash). Linux sends it when
     * the thread that started the child ends, so services are started from the launcher's main thread, which
     * lives as long as the launcher.
     */
    static List<String> tiedToLauncher(List<String> command) {
        if (!Files.isExecutable(SETPRIV)) {
            return command;
        }
        List<String> tied = new ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "TERM", "--"));
        tied.addAll(command);
        return tied;
    }

    /** @return the service this process runs */
    public ServiceSpec service() {
        return command.service();
    }

    /** @return the operating system's process id */
    public long pid() {
        return process.pid();
    }

    /** @return its log file */
    public Path logFile() {
        return command.logFile();
    }

    /** @return whether it still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return its exit code; only meaningful once it has exited */
    public int exitValue() {
        return process.exitValue();
    }

    /** @return completes when the process exits, for whatever reason */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /**
     * Stops it: SIGTERM (Quarkus shuts down gracefully), then SIGKILL if it has not exited within the grace
     * period. Any process it started goes the same way.
     *
     * @param grace how long to wait after SIGTERM
     * @return true if it exited on SIGTERM, false if it had to be killed
     */
    public boolean stop(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean graceful = waitFor(grace);
        if (!graceful) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(5));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return graceful;
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
