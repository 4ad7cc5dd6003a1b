package dev.engram.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a command inside an extracted image as a container engine would, with util-linux's {@code unshare}: its own
 * mount and PID namespaces, the image's directory as the root, mounted read-only, with a fresh {@code /proc}, the
 * machine's {@code /dev}, {@code /etc/hosts} and {@code /etc/resolv.conf}, and an empty tmpfs on {@code /tmp} (the
 * Kubernetes manifests' {@code readOnlyRootFilesystem} and {@code emptyDir}), in the image's working directory, as
 * the image's user. Run as root it is the image's own user (185); otherwise a user namespace maps this user to root
 * in it and the command runs as that root.
 *
 * <p>Without namespaces (no {@code unshare}, or user namespaces disabled) the smoke test cannot run: on CI
 * ({@code CI=true}) that fails, elsewhere the test is skipped, saying why.
 */
final class ImageSandbox {

    private static final String SETUP = """
            set -e
            root="$1"; workdir="$2"; user="$3"; shift 3
            mount --bind "$root" "$root"
            mount -t proc proc "$root/proc"
            mount --rbind /dev "$root/dev"
            mount --bind /etc/hosts "$root/etc/hosts"
            mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
            mount -t tmpfs -o mode=1777,size=512m tmpfs "$root/tmp"
            mount -o remount,bind,ro "$root"
            if [ -n "$user" ]; then
              exec unshare --root="$root" --wd="$workdir" --setgid "$user" --setuid "$user" "$@"
            fi
            exec unshare --root="$root" --wd="$workdir" "$@"
            """;

    private final boolean asRoot;

    private ImageSandbox(boolean asRoot) {
        this.asRoot = asRoot;
    }

    /** A sandbox, if this machine can make one; else the test fails on CI and is skipped elsewhere. */
    static ImageSandbox require() throws IOException, InterruptedException {
        boolean root = "0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
        ImageSandbox sandbox = new ImageSandbox(root);
        Process probe = new ProcessBuilder(sandbox.namespaces(List.of("true")))
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes());
        boolean ok = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        if (!ok) {
            String reason = "cannot run the image: unshare " + String.join(" ", sandbox.namespaceFlags()) + " failed ("
                    + output.strip() + ").";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(
                        reason + " On CI the smoke test must run: run it as root or allow user" + " namespaces.");
            }
            Assumptions.abort(reason + " Skipped outside CI.");
        }
        return sandbox;
    }

    /** Whether the command runs as the image's own user (only when this process is root). */
    boolean runsAsImageUser() {
        return asRoot;
    }

    /**
     * Starts a command in the extracted image.
     *
     * @param rootfs the extracted image (gets {@code proc}, {@code dev}, {@code etc/hosts}, {@code etc/resolv.conf}
     *     mount points if it lacks them)
     * @param workingDir the image's working directory
     * @param user the image's user (numeric), used when running as root
     * @param environment the whole environment of the command (the image's {@code Env} and more)
     * @param command the command, found through the environment's {@code PATH} inside the image
     * @param log where its output goes
     */
    Process start(
            Path rootfs,
            String workingDir,
            String user,
            Map<String, String> environment,
            List<String> command,
            Path log)
            throws IOException {
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        for (String file : List.of("etc/hosts", "etc/resolv.conf")) {
            if (!Files.exists(rootfs.resolve(file))) {
                Files.createFile(rootfs.resolve(file));
            }
        }
        List<String> inside = new ArrayList<>(
                List.of("sh", "-c", SETUP, "sandbox", rootfs.toString(), workingDir, asRoot ? user : ""));
        inside.addAll(command);
        ProcessBuilder builder =
                new ProcessBuilder(namespaces(inside)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    private List<String> namespaces(List<String> command) {
        List<String> full = new ArrayList<>();
        full.add("unshare");
        full.addAll(namespaceFlags());
        full.addAll(command);
        return full;
    }

    private List<String> namespaceFlags() {
        List<String> flags = new ArrayList<>(List.of("--mount", "--pid", "--fork", "--kill-child"));
        if (!asRoot) {
            flags.add("--map-root-user");
        }
        return flags;
    }
}
