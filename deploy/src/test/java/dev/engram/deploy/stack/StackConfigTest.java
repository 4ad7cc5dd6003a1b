package dev.engram.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    private static final Path REPO = Path.of("/repo");
    private static final Path JDK = Path.of("/jdk");

    @Test
    void defaultsToTheDocumentedPortsAndTheDataFolderInTheRepo() {
        StackConfig config = StackConfig.fromEnv(Map.of(), REPO, JDK);

        assertThat(config.home()).isEqualTo(Path.of("/repo/.engram"));
        assertThat(config.gatewayPort()).isEqualTo(6767);
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.kafkaControllerPort()).isEqualTo(9093);
        assertThat(config.postgresPort()).isEqualTo(5432);
        assertThat(config.apiKey()).as("no built-in key").isEmpty();
        assertThat(config.services())
                .extracting(ServiceSpec::name, ServiceSpec::port)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ingest-service", 8081),
                        org.assertj.core.groups.Tuple.tuple("search-service", 8082),
                        org.assertj.core.groups.Tuple.tuple("router-service", 8083),
                        org.assertj.core.groups.Tuple.tuple("memory-writer", 8084));
        assertThat(config.spawnedServices()).hasSize(4);
        assertThat(config.java()).isEqualTo(Path.of("/jdk/bin/java"));
        assertThat(config.kafkaDir()).isEqualTo(Path.of("/repo/.engram/kafka"));
        assertThat(config.postgresDir()).isEqualTo(Path.of("/repo/.engram/postgres"));
        assertThat(config.logDir()).isEqualTo(Path.of("/repo/.engram/logs"));
    }

    @Test
    void readsEveryOverrideFromTheEnvironment() {
        StackConfig config = StackConfig.fromEnv(
                Map.of(
                        "ENGRAM_HOME", "/data/engram",
                        "ENGRAM_PORT", "7000",
                        "ENGRAM_KAFKA_PORT", "19092",
                        "ENGRAM_PG_PORT", "15432",
                        "ENGRAM_API_KEY", "secret",
                        "ENGRAM_SEARCH_SERVICE_PORT", "9182",
                        "ENGRAM_SERVICES", "ingest-service, search-service",
                        "ENGRAM_SERVICE_HEAP", "1g",
                        "ENGRAM_SERVICE_JAVA_OPTS", "-XX:+UseSerialGC  -Dx=y",
                        "ENGRAM_READY_TIMEOUT", "30"),
                REPO,
                JDK);

        assertThat(config.home()).isEqualTo(Path.of("/data/engram"));
        assertThat(config.gatewayPort()).isEqualTo(7000);
        assertThat(config.kafkaPort()).isEqualTo(19092);
        assertThat(config.kafkaControllerPort()).isEqualTo(19093);
        assertThat(config.postgresPort()).isEqualTo(15432);
        assertThat(config.apiKey()).isEqualTo("secret");
        assertThat(config.service("search-service").port()).isEqualTo(9182);
        assertThat(config.spawnedServices())
                .extracting(ServiceSpec::name)
                .containsExactly("ingest-service", "search-service");
        assertThat(config.serviceHeap()).isEqualTo("1g");
        assertThat(config.serviceJavaOptions()).containsExactly("-XX:+UseSerialGC", "-Dx=y");
        assertThat(config.readyTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void spawnsNoServiceWhenToldNone() {
        StackConfig config = StackConfig.fromEnv(Map.of("ENGRAM_SERVICES", "none"), REPO, JDK);

        assertThat(config.spawnedServices()).isEmpty();
        assertThat(config.services()).hasSize(4);
    }

    @Test
    void rejectsAnUnknownServiceAndAPortThatIsNotANumber() {
        assertThatThrownBy(() -> StackConfig.fromEnv(Map.of("ENGRAM_SERVICES", "ingest"), REPO, JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown service in ENGRAM_SERVICES: ingest");
        assertThatThrownBy(() -> StackConfig.fromEnv(Map.of("ENGRAM_PORT", "http"), REPO, JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ENGRAM_PORT");
        assertThatThrownBy(() -> StackConfig.fromEnv(Map.of("ENGRAM_PG_PORT", "70000"), REPO, JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ENGRAM_PG_PORT");
    }
}
