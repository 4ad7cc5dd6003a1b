package dev.engram.testsupport;

import dev.engram.embedded.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Points a {@code @QuarkusTest} at a real PostgreSQL ({@link EmbeddedPostgres}): one server per test JVM with a fresh
 * database of a unique name, started on first use, kept across test classes and test profiles, stopped when the JVM
 * exits; its data lives in a temporary folder deleted then. The server runs with {@code fsync} off, which is fine
 * for data that dies with the JVM.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
 * class DocumentRepositoryTest { ... }
 * }</pre>
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Reactive client URL, {@code postgresql://127.0.0.1:<port>/<database>}. */
    public static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    /** JDBC URL (migrations). */
    public static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    /** The superuser's name. */
    public static final String USERNAME = "quarkus.datasource.username";
    /** The superuser's password (not checked by the server). */
    public static final String PASSWORD = "quarkus.datasource.password";

    private static final String DATABASE = "database";

    /** This JVM's test database; the same in every class loader, handed over with the server. */
    private static volatile String database;

    private static final JvmWideServer<EmbeddedPostgres> SERVER = new JvmWideServer<>(
            "postgres",
            PostgresTestResource::startServer,
            postgres -> Map.of(
                    "dataDir",
                    postgres.dataDir().toString(),
                    "port",
                    Integer.toString(postgres.port()),
                    DATABASE,
                    database),
            EmbeddedPostgres::restart);

    /** Creates the resource; Quarkus calls this. */
    public PostgresTestResource() {}

    /** The server of this test JVM, started if it was not yet. Its port stays the same for the whole JVM. */
    public static EmbeddedPostgres server() {
        return SERVER.get();
    }

    /** The name of this JVM's test database (created with the server). */
    public static String database() {
        server();
        return database;
    }

    /** Ensures the server runs and returns the datasource URLs and credentials. */
    @Override
    public Map<String, String> start() {
        EmbeddedPostgres postgres = server();
        postgres.restart();
        String db = database();
        return Map.of(
                REACTIVE_URL, postgres.reactiveUrl(db),
                JDBC_URL, postgres.jdbcUrl(db),
                USERNAME, postgres.username(),
                PASSWORD, postgres.password());
    }

    /** Leaves the server running for the next test class; it is stopped at JVM exit. */
    @Override
    public void stop() {}

    private static EmbeddedPostgres startServer(Map<String, String> previous) {
        Path dataDir = previous.containsKey("dataDir")
                ? Path.of(previous.get("dataDir"))
                : TestInfrastructure.newDataDir("postgres");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(
                new EmbeddedPostgres.Options(dataDir, Integer.parseInt(previous.getOrDefault("port", "0")), false));
        String name = previous.getOrDefault(
                DATABASE,
                "engram_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        postgres.createDatabase(name);
        database = name;
        return postgres;
    }
}
