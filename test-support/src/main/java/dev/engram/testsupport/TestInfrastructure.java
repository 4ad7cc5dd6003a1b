package dev.engram.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM-wide temporary folder holding the test servers' data, deleted at JVM exit.
 *
 * <p>One shutdown hook stops the servers first ({@link JvmWideServer#stopAll()}) and only then deletes the folder:
 * JVM shutdown hooks run concurrently, and the folder must not disappear under a broker that is still flushing its
 * logs. The folder's path is kept in a system property so that every Quarkus class loader of the JVM uses the same
 * one, and only the first registers the hook.
 */
final class TestInfrastructure {

    /** System property holding the folder of this JVM. */
    static final String ROOT_PROPERTY = "engram.test.data-root";

    private TestInfrastructure() {}

    /** A new, empty directory for one server's data, inside this JVM's temporary folder. */
    static Path newDataDir(String name) {
        try {
            return Files.createTempDirectory(root(), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a data directory for " + name, e);
        }
    }

    private static Path root() throws IOException {
        synchronized (JvmWideServer.JVM_LOCK) {
            String existing = System.getProperty(ROOT_PROPERTY);
            if (existing != null) {
                return Path.of(existing);
            }
            Path root = Files.createTempDirectory("engram-test-");
            System.setProperty(ROOT_PROPERTY, root.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(root), "engram-test-cleanup"));
            return root;
        }
    }

    /** Runs at JVM exit; plain loops over JDK types, as the class loader may be closed by then. */
    private static void shutdown(Path root) {
        JvmWideServer.stopAll();
        delete(root.toFile());
    }

    private static void delete(File file) {
        File[] children = file.isDirectory() && !Files.isSymbolicLink(file.toPath()) ? file.listFiles() : null;
        if (children != null) {
            for (File child : children) {
                delete(child);
            }
        }
        if (!file.delete() && file.exists()) {
            System.getLogger(TestInfrastructure.class.getName())
                    .log(System.Logger.Level.WARNING, "Could not delete {0}", file);
        }
    }
}
