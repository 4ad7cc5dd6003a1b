package dev.engram.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the external processes of the embedded servers.
 *
 * <p>Long-running servers are tied to this JVM: they are started through {@code setpriv --pdeathsig} (util-linux)
 * so that the kernel signals them when their parent goes away, even if the JVM is killed with {@code SIGKILL} and
 * no shutdown hook runs. Linux delivers that signal when the parent <em>thread</em> ends, not the parent process,
 * so servers are spawned from one long-lived daemon thread that lives as long as the JVM; spawned from, say, a
 * test's thread, a server would be shut down as soon as that thread finished. Without {@code setpriv} servers
 * still start, and only the shutdown hooks stop them.
 */
final class ProcessLauncher {

    private static final System.Logger LOG = System.getLogger(ProcessLauncher.class.getName());
    private static final Optional<Path> SETPRIV = NonRootCommand.onPath("setpriv");
    private static final File DEV_NULL = new File("/dev/null");

    /** A single thread that never ends (core threads of this executor never time out). */
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "engram-process-spawner");
        thread.setDaemon(true);
        return thread;
    });

    private ProcessLauncher() {}

    /**
     * Starts a long-running server process that receives {@code signal} (e.g. {@code INT}) when this JVM dies.
     * Its standard output and error go to {@code log}, truncated first.
     */
    static Process startTiedToJvm(List<String> command, String signal, Path log) {
        List<String> full = new ArrayList<>();
        if (SETPRIV.isPresent()) {
            full.addAll(List.of(SETPRIV.get().toString(), "--pdeathsig", signal, "--"));
        } else {
            LOG.log(System.Logger.Level.DEBUG, "setpriv not found; {0} is stopped by shutdown hooks only", command);
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        try {
            return SPAWNER.submit(builder::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting " + command.getFirst(), e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException(
                    "Cannot start " + command.getFirst(),
                    e.getCause() instanceof IOException io ? io : new IOException(e));
        }
    }

    /**
     * Runs a short command to completion and returns its combined output.
     *
     * @throws IllegalStateException if it exits with a non-zero status or runs longer than {@code timeout}; the
     *     message carries the command's output
     */
    static String run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .start();
            // Read on another thread so that a chatty command cannot block on a full pipe past the timeout.
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " did not finish within " + timeout);
            }
            String text = output.get(5, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.getFirst(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the output of " + command.getFirst(), e);
        }
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
