package dev.engram.deploy.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One Engram service of the local stack: its name (the Maven module) and the port it listens on.
 *
 * @param name the service name, e.g. {@code ingest-service}; also its module directory and log file name
 * @param port its HTTP port
 */
public record ServiceSpec(String name, int port) {

    /** The four services with their default ports. */
    public static final List<ServiceSpec> DEFAULTS = List.of(
            new ServiceSpec("ingest-service", 8081),
            new ServiceSpec("search-service", 8082),
            new ServiceSpec("router-service", 8083),
            new ServiceSpec("memory-writer", 8084));

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Not a TCP port for " + name + ": " + port);
        }
    }

    /**
     * @param repoDir the root of the Engram checkout
     * @return the packaged Quarkus application, {@code <module>/target/quarkus-app/quarkus-run.jar}
     */
    public Path runnerJar(Path repoDir) {
        return repoDir.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** @return the environment variable that overrides this service's port, e.g. {@code ENGRAM_INGEST_SERVICE_PORT} */
    public String portVariable() {
        return portVariable(name);
    }

    static String portVariable(String name) {
        return "ENGRAM_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
    }

    /** @return this service on another port */
    public ServiceSpec withPort(int newPort) {
        return new ServiceSpec(name, newPort);
    }
}
