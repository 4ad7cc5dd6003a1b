package dev.engram.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceCommandTest {

    private final StackConfig config = StackConfig.fromEnv(
            Map.of("ENGRAM_API_KEY", "k1", "ENGRAM_SERVICE_JAVA_OPTS", "-XX:+UseSerialGC"),
            Path.of("/repo"),
            Path.of("/jdk"));
    private final InfraEndpoints infra = new InfraEndpoints(
            "localhost:9092",
            "jdbc:postgresql://localhost:5432/engram",
            "postgresql://localhost:5432/engram",
            "postgres",
            "pw");

    @Test
    void runsThePackagedQuarkusAppOnTheLaunchersJdkWithTheVectorAndNativeAccessFlags() {
        ServiceCommand command = ServiceCommand.of(config.service("memory-writer"), config, infra);

        assertThat(command.command())
                .containsExactly(
                        "/jdk/bin/java",
                        "-Xms512m",
                        "-Xmx512m",
                        "--add-modules=jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED",
                        "-XX:+UseSerialGC",
                        "-jar",
                        "/repo/memory-writer/target/quarkus-app/quarkus-run.jar");
        assertThat(command.jar()).isEqualTo(Path.of("/repo/memory-writer/target/quarkus-app/quarkus-run.jar"));
        assertThat(command.logFile()).isEqualTo(Path.of("/repo/.engram/logs/memory-writer.log"));
        assertThat(command.workingDir()).isEqualTo(Path.of("/repo/.engram"));
    }

    @Test
    void tellsEachServiceItsPortTheInfrastructureTheKeyAndTheDataFolder() {
        ServiceCommand command = ServiceCommand.of(config.service("ingest-service"), config, infra);

        assertThat(command.environment())
                .contains(
                        entry("QUARKUS_HTTP_PORT", "8081"),
                        entry("QUARKUS_HTTP_HOST", "127.0.0.1"),
                        entry("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                        entry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:5432/engram"),
                        entry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:5432/engram"),
                        entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                        entry("QUARKUS_DATASOURCE_PASSWORD", "pw"),
                        entry("ENGRAM_AUTH_BOOTSTRAP_KEY", "k1"),
                        entry("ENGRAM_DATA_DIR", "/repo/.engram/data"),
                        entry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"));
        assertThat(command.environment())
                .doesNotContainKeys("ROUTER_MEMORY_SEARCH_URL", "ROUTER_CONVERSATIONS_HISTORY_URL");
    }

    @Test
    void pointsTheRouterAtSearchAndIngestServiceDirectly() {
        StackConfig moved = StackConfig.fromEnv(
                Map.of("ENGRAM_SEARCH_SERVICE_PORT", "9182", "ENGRAM_INGEST_SERVICE_PORT", "9181"),
                Path.of("/repo"),
                Path.of("/jdk"));

        ServiceCommand command = ServiceCommand.of(moved.service("router-service"), moved, infra);

        assertThat(command.environment())
                .contains(
                        entry("ROUTER_MEMORY_SEARCH_URL", "http://127.0.0.1:9182"),
                        entry("ROUTER_CONVERSATIONS_HISTORY_URL", "http://127.0.0.1:9181"),
                        entry("ENGRAM_AUTH_KEYS_URL", "http://127.0.0.1:9181"),
                        entry("QUARKUS_HTTP_PORT", "8083"));
    }

    @Test
    void neverPrintsTheDatabasePassword() {
        assertThat(infra.toString()).doesNotContain("pw").contains("localhost:9092");
    }
}
