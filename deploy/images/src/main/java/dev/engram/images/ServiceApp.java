package dev.engram.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A service as Quarkus packaged it: its fast-jar ({@code <repo>/<service>/target/quarkus-app}: {@code quarkus-run.jar},
 * {@code lib/boot}, {@code lib/main}, {@code app}, {@code quarkus}) and the HTTP port its packaged configuration
 * names.
 *
 * @param name the service, e.g. {@code search-service}
 * @param appDir its {@code target/quarkus-app}
 * @param httpPort its {@code quarkus.http.port}
 */
record ServiceApp(String name, Path appDir, int httpPort) {

    /** The four services. */
    static final List<String> ALL = List.of("ingest-service", "search-service", "router-service", "memory-writer");

    /**
     * Finds a service's packaged application in the checkout.
     *
     * @throws IllegalStateException if it is not packaged, or its configuration names no port
     */
    static ServiceApp in(Path repo, String name) throws IOException {
        Path appDir = repo.resolve(name).resolve("target/quarkus-app");
        if (!Files.isRegularFile(appDir.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(name + " is not packaged (no " + appDir.resolve("quarkus-run.jar")
                    + "): build it first, e.g. ./mvnw -pl " + name + " -am package -DskipTests");
        }
        return new ServiceApp(name, appDir, httpPort(name, appDir.resolve("app")));
    }

    /** {@code quarkus.http.port} of the {@code application.properties} in the service's own jar. */
    private static int httpPort(String name, Path appJars) throws IOException {
        try (Stream<Path> jars = Files.list(appJars)) {
            for (Path jar :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    ZipEntry entry = zip.getEntry("application.properties");
                    if (entry == null) {
                        continue;
                    }
                    Properties properties = new Properties();
                    try (InputStream in = zip.getInputStream(entry)) {
                        properties.load(in);
                    }
                    String port = properties.getProperty("quarkus.http.port");
                    if (port != null) {
                        return Integer.parseInt(port.strip());
                    }
                }
            }
        }
        throw new IllegalStateException(name + ": no quarkus.http.port in the application.properties under " + appJars);
    }
}
