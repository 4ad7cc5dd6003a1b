package dev.engram.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.embedded.EmbeddedKafka;
import dev.engram.embedded.EmbeddedPostgres;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestResourcesTest {

    @Test
    void kafkaResourceHandsOutTheOneBrokerOfTheJvmAndRestartsItIfStopped() {
        Map<String, String> config = new KafkaTestResource().start();
        EmbeddedKafka broker = KafkaTestResource.broker();

        assertThat(config).containsExactly(Map.entry("kafka.bootstrap.servers", broker.bootstrapServers()));
        assertThat(KafkaTestResource.broker()).isSameAs(broker);

        broker.stop();
        assertThat(new KafkaTestResource().start()).isEqualTo(config);
        assertThat(broker.isRunning()).isTrue();
    }

    @Test
    void postgresResourceHandsOutAFreshDatabaseOnTheOneServerOfTheJvm() throws Exception {
        Map<String, String> config = new PostgresTestResource().start();
        EmbeddedPostgres server = PostgresTestResource.server();
        String database = PostgresTestResource.database();

        assertThat(database).startsWith("engram_test_");
        assertThat(config)
                .containsEntry("quarkus.datasource.reactive.url", server.reactiveUrl(database))
                .containsEntry("quarkus.datasource.jdbc.url", server.jdbcUrl(database))
                .containsEntry("quarkus.datasource.username", "postgres")
                .containsKey("quarkus.datasource.password");
        assertThat(new PostgresTestResource().start()).isEqualTo(config);
        try (Connection connection = DriverManager.getConnection(
                        config.get("quarkus.datasource.jdbc.url"),
                        config.get("quarkus.datasource.username"),
                        config.get("quarkus.datasource.password"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(database);
        }
    }

    /** Quarkus loads each test profile's classes in a class loader of its own; there is still one broker. */
    @Test
    void anotherClassLoaderTakesTheBrokerOverOnTheSameAddressInsteadOfStartingASecondOne() throws Exception {
        EmbeddedKafka mine = KafkaTestResource.broker();
        String address = mine.bootstrapServers();

        try (URLClassLoader profileLoader =
                new ChildFirstLoader(List.of(codeSource(KafkaTestResource.class), codeSource(EmbeddedKafka.class)))) {
            Class<?> theirResource = profileLoader.loadClass(KafkaTestResource.class.getName());
            assertThat(theirResource).isNotSameAs(KafkaTestResource.class);
            Object theirs = theirResource.getMethod("broker").invoke(null);

            assertThat(call(theirs, "bootstrapServers")).isEqualTo(address);
            assertThat(call(theirs, "isRunning")).isEqualTo(true);
            assertThat(mine.isRunning()).isFalse();

            EmbeddedKafka back = KafkaTestResource.broker();

            assertThat(back).isSameAs(mine);
            assertThat(mine.isRunning()).isTrue();
            assertThat(mine.bootstrapServers()).isEqualTo(address);
            assertThat(call(theirs, "isRunning")).isEqualTo(false);
        }
    }

    private static Object call(Object target, String method) throws Exception {
        Method m = target.getClass().getMethod(method);
        return m.invoke(target);
    }

    private static URL codeSource(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    /** Loads Engram's classes itself, everything else from the application class loader, like Quarkus does. */
    private static final class ChildFirstLoader extends URLClassLoader {

        ChildFirstLoader(List<URL> urls) {
            super("profile", urls.toArray(URL[]::new), TestResourcesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.engram.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
