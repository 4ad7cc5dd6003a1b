package dev.engram.images;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ImageBuild} builds, from {@code --name=value} arguments (an empty value is the default).
 *
 * @param repo the checkout, whose {@code <service>/target/quarkus-app} are imaged ({@code --repo}, default {@code .})
 * @param output where the tars go ({@code --output}, default {@code <repo>/deploy/images/target/images})
 * @param services which services ({@code --services}, comma-separated, default all four)
 * @param tag the images' tag ({@code --tag}, default {@code latest})
 * @param base a registry image to build on instead of the base image made here ({@code --base})
 * @param registry push to {@code <registry>/engram/<service>:<tag>} instead of writing tars ({@code --registry})
 * @param version Engram's version: the images' second tag, and a label ({@code --version})
 * @param jdk the JDK whose jlink makes the base image's runtime ({@code --jdk}, default the running one)
 */
record ImageBuildOptions(
        Path repo,
        Path output,
        List<String> services,
        String tag,
        Optional<String> base,
        Optional<String> registry,
        String version,
        Path jdk) {

    private static final List<String> NAMES =
            List.of("repo", "output", "services", "tag", "base", "registry", "version", "jdk");

    public ImageBuildOptions {
        services = List.copyOf(services);
        for (String service : services) {
            if (!ServiceApp.ALL.contains(service)) {
                throw new IllegalArgumentException(
                        "unknown service '" + service + "'; the services: " + ServiceApp.ALL);
            }
        }
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no services to build");
        }
        for (String each : List.of(tag, version)) {
            if (!each.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
                throw new IllegalArgumentException("not an image tag: '" + each + "'");
            }
        }
    }

    /**
     * Reads the arguments.
     *
     * @throws IllegalArgumentException for an argument that is not {@code --name=value} with a known name, or a bad
     *     value
     */
    static ImageBuildOptions parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 2 ? arg.substring(2, equals) : null;
            if (name == null || !NAMES.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown argument '" + arg + "'; usage: --name=value with name one of " + NAMES);
            }
            String value = arg.substring(equals + 1).strip();
            if (!value.isEmpty()) {
                values.put(name, value);
            }
        }
        Path repo = Path.of(values.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        return new ImageBuildOptions(
                repo,
                Path.of(values.getOrDefault(
                                "output",
                                repo.resolve("deploy/images/target/images").toString()))
                        .toAbsolutePath()
                        .normalize(),
                Optional.ofNullable(values.get("services"))
                        .map(list -> Arrays.stream(list.split(","))
                                .map(String::strip)
                                .filter(s -> !s.isEmpty())
                                .toList())
                        .orElse(ServiceApp.ALL),
                values.getOrDefault("tag", "latest"),
                Optional.ofNullable(values.get("base")),
                Optional.ofNullable(values.get("registry")),
                values.getOrDefault("version", "0.1.0-SNAPSHOT"),
                Path.of(values.getOrDefault("jdk", System.getProperty("java.home"))));
    }
}
