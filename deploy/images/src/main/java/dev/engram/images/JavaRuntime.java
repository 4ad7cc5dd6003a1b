package dev.engram.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The Java runtime of the base image, made with {@code jlink} from a JDK on this machine (the build's own by
 * default): the modules the services need, without debug symbols, man pages or header files; the same JDK gives the
 * same bytes.
 */
final class JavaRuntime {

    /**
     * The runtime's modules. All of Java SE ({@code java.se}: the services reach {@code java.desktop}'s
     * {@code java.beans}, {@code java.sql}, {@code java.naming}, {@code java.management}, SASL and GSS for Kafka, XML
     * for Tika and POI), and the JDK modules they use directly or through a service lookup: Lucene's vector API
     * ({@code jdk.incubator.vector}) and {@code sun.misc.Unsafe} ({@code jdk.unsupported}, Netty too), charsets and
     * locale data for documents in any language, the elliptic-curve and PKCS#11 providers, DNS through JNDI, extended
     * socket options (Netty), zip file systems, JFR and the management beans (Micrometer's JVM metrics), and
     * {@code jcmd} to take thread and heap dumps in a running pod. Not the compiler, jshell or the debugger agent.
     */
    static final List<String> MODULES = List.of(
            "java.se",
            "jdk.charsets",
            "jdk.crypto.cryptoki",
            "jdk.crypto.ec",
            "jdk.incubator.vector",
            "jdk.jcmd",
            "jdk.jfr",
            "jdk.localedata",
            "jdk.management",
            "jdk.management.jfr",
            "jdk.naming.dns",
            "jdk.net",
            "jdk.nio.mapmode",
            "jdk.security.auth",
            "jdk.security.jgss",
            "jdk.unsupported",
            "jdk.xml.dom",
            "jdk.zipfs");

    private static final long TIMEOUT_MINUTES = 5;

    private JavaRuntime() {}

    /**
     * Links the runtime.
     *
     * @param jdkHome the JDK whose {@code jlink} and modules are used
     * @param output the directory to create (replaced if present)
     * @return {@code output}
     */
    static Path link(Path jdkHome, Path output) throws IOException, InterruptedException {
        Path jlink = jdkHome.resolve("bin/jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException(jdkHome + " has no bin/jlink: the base image's Java runtime is made with"
                    + " jlink; run the build on a JDK (not a JRE), or pass --jdk=<a JDK home>");
        }
        Directories.deleteRecursively(output);
        Files.createDirectories(output.getParent());
        List<String> command = new ArrayList<>(List.of(
                jlink.toString(),
                "--add-modules",
                String.join(",", MODULES),
                "--strip-debug",
                "--no-man-pages",
                "--no-header-files",
                // The plugin that pre-generates the module graph puts its sets in an order that differs from run to
                // run (JDK 25): without it the runtime is the same bytes every time, and reads its module descriptors
                // at start instead (some 0.1 s).
                "--disable-plugin",
                "system-modules",
                "--output",
                output.toString()));
        Path log = output.resolveSibling(output.getFileName() + "-jlink.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("jlink did not finish in " + TIMEOUT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("jlink failed (exit " + process.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8).strip());
        }
        return output;
    }

    /** The runtime's version, {@code JAVA_RUNTIME_VERSION} of its {@code release} file (e.g. {@code 25.0.3+9-LTS}). */
    static String version(Path runtime) throws IOException {
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(runtime.resolve("release"), StandardCharsets.UTF_8)) {
            release.load(in);
        }
        String version = release.getProperty("JAVA_RUNTIME_VERSION", release.getProperty("JAVA_VERSION", "unknown"));
        return version.replace("\"", "");
    }
}
