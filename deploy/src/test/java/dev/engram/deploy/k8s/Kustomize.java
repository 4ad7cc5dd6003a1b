package dev.engram.deploy.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders the Kustomize overlays of {@code deploy/k8s} with {@code kubectl kustomize}, once per overlay and test run.
 *
 * <p>Without {@code kubectl} on the {@code PATH} the manifests cannot be checked: on CI ({@code CI=true}) that fails
 * the test, elsewhere the test is reported as skipped with the reason, so a developer without kubectl can still run
 * the build but never mistakes the skip for a pass.
 */
final class Kustomize {

    /** The overlays to deploy, by name. */
    static final String DEV = "dev";

    static final String PROD = "prod";

    /** The directory of the manifests, relative to the deploy module (Maven runs the tests there). */
    static final Path K8S = Path.of("k8s");

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The YAML stream that {@code kubectl kustomize deploy/k8s/overlays/<overlay>} prints. */
    static String render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, Kustomize::run);
    }

    /** The objects of an overlay, rendered and parsed. */
    static Manifests manifests(String overlay) {
        return Manifests.parse(render(overlay));
    }

    private static String run(String overlay) {
        Path kubectl = kubectl().orElse(null);
        if (kubectl == null) {
            String reason = "kubectl is not on the PATH: the Kubernetes manifests (deploy/k8s) cannot be rendered or"
                    + " checked. Install it (Debian: apt-get install kubernetes-client).";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason);
            }
            Assumptions.abort(reason + " Skipped outside CI.");
        }
        Path dir = K8S.resolve("overlays").resolve(overlay);
        try {
            Path stderr = Files.createTempFile("kustomize-", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                        .redirectError(stderr.toFile())
                        .start();
                process.getOutputStream().close();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("kubectl kustomize " + dir + " did not finish within 60 s");
                }
                if (process.exitValue() != 0) {
                    fail("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n"
                            + Files.readString(stderr));
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + dir, e);
        }
    }

    private static Optional<Path> kubectl() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path candidate = Path.of(entry, "kubectl");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
