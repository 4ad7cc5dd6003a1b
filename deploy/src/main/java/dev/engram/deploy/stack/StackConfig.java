package dev.engram.deploy.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the local stack is told, read from environment variables with defaults.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@code ENGRAM_REPO}</td><td>the Engram checkout; default: the working directory</td></tr>
 *   <tr><td>{@code ENGRAM_HOME}</td><td>the data folder; default {@code <repo>/.engram}</td></tr>
 *   <tr><td>{@code ENGRAM_PORT}</td><td>the gateway's port; default 6767</td></tr>
 *   <tr><td>{@code ENGRAM_BIND}</td><td>the gateway's interface; default {@code 0.0.0.0}</td></tr>
 *   <tr><td>{@code ENGRAM_KAFKA_PORT}</td><td>Kafka's broker port; default 9092</td></tr>
 *   <tr><td>{@code ENGRAM_KAFKA_CONTROLLER_PORT}</td><td>Kafka's KRaft controller port; default broker + 1</td></tr>
 *   <tr><td>{@code ENGRAM_PG_PORT}</td><td>PostgreSQL's port; default 5432</td></tr>
 *   <tr><td>{@code ENGRAM_API_KEY}</td><td>the installation's bootstrap key; {@code ./engram up} sets it (generated
 *       once, kept in {@code $ENGRAM_HOME/api-key}); none by default</td></tr>
 *   <tr><td>{@code ENGRAM_SERVICES}</td><td>which services to spawn: {@code all} (default), {@code none}, or a
 *       comma-separated list of names; the others are still routed to, so one can run in dev mode</td></tr>
 *   <tr><td>{@code ENGRAM_<SERVICE>_PORT}</td><td>a service's port, e.g. {@code ENGRAM_INGEST_SERVICE_PORT};
 *       defaults 8081 to 8084</td></tr>
 *   <tr><td>{@code ENGRAM_SERVICE_HEAP}</td><td>each service's maximum heap; default {@code 512m}</td></tr>
 *   <tr><td>{@code ENGRAM_SERVICE_JAVA_OPTS}</td><td>extra JVM flags for every service, space-separated</td></tr>
 *   <tr><td>{@code ENGRAM_READY_TIMEOUT}</td><td>seconds to wait for every service to be ready; default 180</td></tr>
 * </table>
 *
 * @param repoDir the Engram checkout, where the services' packaged jars are
 * @param home the data folder: Kafka, PostgreSQL, service data, logs and pid files
 * @param gatewayHost the gateway's interface
 * @param gatewayPort the gateway's port
 * @param kafkaPort Kafka's broker port
 * @param kafkaControllerPort Kafka's controller port
 * @param postgresPort PostgreSQL's port
 * @param apiKey the bootstrap API key
 * @param services every service, with its port; all are routed to
 * @param spawned the names of the services this launcher starts
 * @param serviceHeap each service's {@code -Xmx} value
 * @param serviceJavaOptions extra JVM flags for every service
 * @param readyTimeout how long to wait for every spawned service to be ready
 * @param java the {@code java} executable the services run on
 */
public record StackConfig(
        Path repoDir,
        Path home,
        String gatewayHost,
        int gatewayPort,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        String apiKey,
        List<ServiceSpec> services,
        Set<String> spawned,
        String serviceHeap,
        List<String> serviceJavaOptions,
        Duration readyTimeout,
        Path java) {

    /** The PostgreSQL database every service shares. */
    public static final String DATABASE = "engram";

    public StackConfig {
        Objects.requireNonNull(repoDir, "repoDir");
        Objects.requireNonNull(home, "home");
        services = List.copyOf(services);
        spawned = Set.copyOf(spawned);
        serviceJavaOptions = List.copyOf(serviceJavaOptions);
        Set<String> names = services.stream().map(ServiceSpec::name).collect(Collectors.toSet());
        for (String name : spawned) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("Unknown service in ENGRAM_SERVICES: " + name + " (known: "
                        + String.join(
                                ", ", services.stream().map(ServiceSpec::name).toList()) + ")");
            }
        }
    }

    /**
     * Reads the configuration.
     *
     * @param env the environment variables
     * @param workingDir the directory the launcher runs in (the default checkout)
     * @param javaHome the JDK the launcher runs on; the services run on it too
     * @return the configuration
     * @throws IllegalArgumentException if a variable holds something unusable
     */
    public static StackConfig fromEnv(Map<String, String> env, Path workingDir, Path javaHome) {
        Path repo = path(env, "ENGRAM_REPO", workingDir);
        Path home = path(env, "ENGRAM_HOME", repo.resolve(".engram"));
        int kafkaPort = port(env, "ENGRAM_KAFKA_PORT", 9092);
        List<ServiceSpec> services = ServiceSpec.DEFAULTS.stream()
                .map(s -> s.withPort(port(env, s.portVariable(), s.port())))
                .toList();
        return new StackConfig(
                repo,
                home,
                text(env, "ENGRAM_BIND", "0.0.0.0"),
                port(env, "ENGRAM_PORT", 6767),
                kafkaPort,
                port(env, "ENGRAM_KAFKA_CONTROLLER_PORT", kafkaPort + 1),
                port(env, "ENGRAM_PG_PORT", 5432),
                text(env, "ENGRAM_API_KEY", ""),
                services,
                spawned(text(env, "ENGRAM_SERVICES", "all"), services),
                text(env, "ENGRAM_SERVICE_HEAP", "512m"),
                words(text(env, "ENGRAM_SERVICE_JAVA_OPTS", "")),
                Duration.ofSeconds(positive(env, "ENGRAM_READY_TIMEOUT", 180)),
                javaHome.resolve("bin").resolve("java"));
    }

    /** @return Kafka's data directory */
    public Path kafkaDir() {
        return home.resolve("kafka");
    }

    /** @return PostgreSQL's data directory */
    public Path postgresDir() {
        return home.resolve("postgres");
    }

    /** @return the services' shared data directory ({@code ENGRAM_DATA_DIR}: the Lucene index, models) */
    public Path dataDir() {
        return home.resolve("data");
    }

    /** @return where every log goes */
    public Path logDir() {
        return home.resolve("logs");
    }

    /** @return where pid files and the ready banner go while the stack runs */
    public Path runDir() {
        return home.resolve("run");
    }

    /** @return the services this launcher starts, in {@link #services()} order */
    public List<ServiceSpec> spawnedServices() {
        return services.stream().filter(s -> spawned.contains(s.name())).toList();
    }

    /** @return the service with that name */
    public ServiceSpec service(String name) {
        return services.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    private static Set<String> spawned(String value, List<ServiceSpec> services) {
        return switch (value.trim()) {
            case "all" -> services.stream().map(ServiceSpec::name).collect(Collectors.toSet());
            case "none", "" -> Set.of();
            default ->
                Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet());
        };
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static Path path(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        return (value == null || value.isBlank() ? fallback : Path.of(value.trim()))
                .toAbsolutePath()
                .normalize();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        int port = positive(env, name, fallback);
        if (port > 65_535) {
            throw new IllegalArgumentException(name + " is not a TCP port: " + port);
        }
        return port;
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + value, e);
        }
    }

    private static List<String> words(String value) {
        return Arrays.stream(value.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
