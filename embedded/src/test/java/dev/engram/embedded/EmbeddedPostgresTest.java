package dev.engram.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startServer() {
        postgres = EmbeddedPostgres.start(new EmbeddedPostgres.Options(dataDir.resolve("pg"), 0, false));
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @Test
    void createDatabaseIsIdempotentAndTheDatabaseAnswersOverJdbc() throws SQLException {
        postgres.createDatabase("engram_one");
        postgres.createDatabase("engram_one");

        try (Connection connection = connect(postgres, "engram_one");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT current_database(), current_setting('server_version_num')::int / 10000, "
                                + "pg_encoding_to_char(encoding), upper('ärger') "
                                + "FROM pg_database WHERE datname = current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("engram_one");
            assertThat(rows.getInt(2)).isEqualTo(17);
            assertThat(rows.getString(3)).isEqualTo("UTF8");
            assertThat(rows.getString(4)).isEqualTo("ÄRGER");
        }
    }

    @Test
    void urlsPointAtTheLoopbackPortAndDatabase() {
        assertThat(postgres.host()).isEqualTo("127.0.0.1");
        assertThat(postgres.jdbcUrl("engram")).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/engram");
        assertThat(postgres.reactiveUrl("engram")).isEqualTo("postgresql://127.0.0.1:" + postgres.port() + "/engram");
        assertThat(postgres.username()).isEqualTo("postgres");
    }

    @Test
    void databaseNamesThatAreNotIdentifiersAreRejected() {
        for (String bad : new String[] {"", "1abc", "a-b", "a\"b", "x; DROP DATABASE postgres", "a".repeat(64)}) {
            assertThatThrownBy(() -> postgres.createDatabase(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> postgres.jdbcUrl("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restartKeepsThePortAndTheCommittedData() throws SQLException {
        postgres.createDatabase("engram_restart");
        execute(postgres, "engram_restart", "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
        int port = postgres.port();

        postgres.stop();
        assertThat(postgres.isRunning()).isFalse();
        assertThat(postgres.dataDir().resolve("postmaster.pid")).doesNotExist();
        assertThatThrownBy(() -> connect(postgres, "engram_restart")).isInstanceOf(SQLException.class);
        postgres.restart();

        assertThat(postgres.isRunning()).isTrue();
        assertThat(postgres.port()).isEqualTo(port);
        assertThat(queryInt(postgres, "engram_restart", "SELECT id FROM kept")).isEqualTo(42);
    }

    @Test
    void theServerOutlivesTheThreadThatStartedIt() throws Exception {
        postgres.stop();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                postgres.restart();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        starter.start();
        starter.join();
        Thread.sleep(300); // a parent-death signal tied to the finished thread would have arrived by now

        assertThat(failure.get()).isNull();
        assertThat(postgres.isRunning()).isTrue();
        assertThat(queryInt(postgres, "postgres", "SELECT 1")).isEqualTo(1);
    }

    @Test
    void aNewServerReusesAnExistingDataDirectory(@TempDir Path dir) throws SQLException {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(new EmbeddedPostgres.Options(dir, 0, false))) {
            first.createDatabase("engram_reuse");
            execute(first, "engram_reuse", "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('still here')");
        }

        try (EmbeddedPostgres second = EmbeddedPostgres.start(new EmbeddedPostgres.Options(dir, 0))) {
            second.createDatabase("engram_reuse");
            try (Connection connection = connect(second, "engram_reuse");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT body FROM notes")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("still here");
            }
        }
    }

    @Test
    void aDirectoryThatIsNeitherEmptyNorAClusterIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a database");

        assertThatThrownBy(() -> EmbeddedPostgres.start(new EmbeddedPostgres.Options(dir, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither empty nor a PostgreSQL data directory");
        assertThat(dir.resolve("notes.txt")).hasContent("not a database");
    }

    @Test
    void startingOnAPortInUseFailsQuotingTheServerLog(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedPostgres.start(new EmbeddedPostgres.Options(dir, port, false)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not bind");
        }
    }

    private static Connection connect(EmbeddedPostgres server, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), server.username(), server.password());
    }

    private static void execute(EmbeddedPostgres server, String database, String sql) throws SQLException {
        try (Connection connection = connect(server, database);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int queryInt(EmbeddedPostgres server, String database, String sql) throws SQLException {
        try (Connection connection = connect(server, database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getInt(1);
        }
    }
}
