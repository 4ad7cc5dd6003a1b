package dev.engram.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes PostgreSQL's programs runnable when this JVM runs as root, as it does in this project's containers and CI.
 * {@code initdb}, {@code postgres} and {@code pg_ctl} refuse to start when their effective uid is 0.
 *
 * <p>As root, every command is prefixed with {@code unshare --user}. That runs the program in a new user namespace
 * whose uid map is left empty, and this is why it works:
 *
 * <ul>
 *   <li>Inside a namespace without a mapping for it, the process's uid reads as the overflow uid (65534,
 *       {@code nobody}), so PostgreSQL's {@code geteuid() == 0} check passes. ({@code initdb} also looks that uid up
 *       with {@code getpwuid}, so {@code /etc/passwd} must have a {@code nobody} entry, as Debian-based images do.)
 *   <li>Files owned by the host's root are shown inside as owned by the same overflow uid. So the data directory,
 *       created and owned by root, passes the server's "data directory must be owned by the server's user" check
 *       ({@code st_uid == geteuid()}, both 65534) without any {@code chown}.
 *   <li>To the kernel the process still is host uid 0 — only without capabilities in the initial namespace. File
 *       access to root's files goes through the owner permission bits (so a {@code 0700} data directory works),
 *       and everything PostgreSQL creates is owned by root on the host, where this JVM can read and delete it.
 *   <li>Signals between this JVM, {@code pg_ctl} and the server are allowed (same real uid), so {@code pg_ctl stop}
 *       and the parent-death signal behave as usual.
 * </ul>
 *
 * <p>Creating a user namespace needs no privilege from root, but container runtimes may forbid it (Docker's
 * default seccomp profile does); {@link #check(Path)} then fails with an explanation. Not being root, commands run
 * unchanged.
 */
final class NonRootCommand {

    private static final Optional<Path> UNSHARE = onPath("unshare");
    private static final boolean ROOT = effectiveUid() == 0;
    private static boolean checked;

    private NonRootCommand() {}

    /** Whether this JVM runs with effective uid 0. */
    static boolean runningAsRoot() {
        return ROOT;
    }

    /** Returns {@code command} wrapped so that it runs as a non-root user. */
    static List<String> of(List<String> command) {
        if (!ROOT) {
            return List.copyOf(command);
        }
        List<String> wrapped = new ArrayList<>(command.size() + 3);
        wrapped.add(UNSHARE.map(Path::toString).orElse("unshare"));
        wrapped.add("--user");
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Verifies once per JVM that {@code program} can be run this way ({@code program --version}), so that a missing
     * {@code unshare} or a forbidden user namespace shows as one clear message instead of a failed {@code initdb}.
     */
    static synchronized void check(Path program) {
        if (checked) {
            return;
        }
        if (ROOT && UNSHARE.isEmpty()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root, and 'unshare' (util-linux) is not on "
                    + "the PATH to run it in a user namespace. Install util-linux or run as a non-root user.");
        }
        try {
            ProcessLauncher.run(of(List.of(program.toString(), "--version")), Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            String hint = ROOT
                    ? " Running as root, PostgreSQL is started through 'unshare --user'; user namespaces may be "
                            + "disabled here (e.g. Docker's default seccomp profile). Run as a non-root user, or "
                            + "allow user namespaces."
                    : "";
            throw new IllegalStateException("Cannot run " + program + "." + hint, e);
        }
        checked = true;
    }

    /** Finds an executable on the PATH (or in the usual system directories). */
    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin:/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The effective uid, from {@code /proc/self/status} ({@code Uid: real effective saved fs}). */
    private static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
            throw new IllegalStateException("No Uid line in /proc/self/status");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status", e);
        }
    }
}
