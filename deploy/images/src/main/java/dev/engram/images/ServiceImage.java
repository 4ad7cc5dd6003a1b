package dev.engram.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A service's image: its Quarkus fast-jar under {@value #APP_DIR}, in the layers Quarkus's own Jib extension makes
 * (least to most often changed: boot libraries, third-party libraries, Engram's own modules, {@code quarkus-run.jar},
 * the application, Quarkus's generated code), on the base image, run as user 185 by
 * {@code java <flags> -jar /deployments/quarkus-run.jar}. Named {@code engram/<service>}, tagged {@code latest} (what
 * the Kubernetes base references) and Engram's version (what the overlays pin). Written as a docker-archive tar, or
 * pushed to a registry.
 *
 * <p>Not through {@code quarkus-container-image-jib}: when it does not push, Quarkus 3.33's {@code JibProcessor}
 * ({@code createContainerizer}) always hands the image to a container engine ({@code DockerDaemonImage}, i.e.
 * {@code docker load}) and has no tar target; a build machine without an engine cannot use it.
 */
final class ServiceImage {

    /** Where the application is, and the working directory. */
    static final String APP_DIR = "/deployments";

    /**
     * The JVM flags: the whole heap from the start, sized from the container's memory limit (the local stack starts
     * services with {@code -Xms} = {@code -Xmx} for the same reason: left to size itself, G1 shrank an idle
     * search-service's heap and then collected its small young generation several times a second under load), and those the local stack starts every service with
     * ({@code ServiceCommand.REQUIRED_JVM_FLAGS}: Lucene's vector API, native access for ONNX Runtime), and JBoss
     * LogManager as Quarkus's Jib images set it.
     */
    static final List<String> JVM_FLAGS = List.of(
            "-XX:InitialRAMPercentage=70.0",
            "-XX:MaxRAMPercentage=70.0",
            "--add-modules=jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

    /** Engram's own modules among the libraries: they change with every commit, so they get their own layer. */
    private static final Predicate<Path> ENGRAM_MODULE =
            jar -> jar.getFileName().toString().startsWith("dev.engram.");

    /** What the image is built on. */
    sealed interface Base {

        /** The base image built here, as a tar. */
        record Built(BaseImage.Result image) implements Base {}

        /**
         * Another image: in a registry ({@code registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24}), a
         * {@code docker save} tar ({@code tar:///path/image.tar}) or a running engine's ({@code docker://name}).
         */
        record Remote(String reference) implements Base {

            /** Whether it is a tar or an engine's image rather than a registry's. */
            boolean isLocal() {
                return reference.startsWith(Jib.TAR_IMAGE_PREFIX)
                        || reference.startsWith(Jib.DOCKER_DAEMON_IMAGE_PREFIX);
            }
        }
    }

    /** Where the image goes. */
    sealed interface Target {

        /** A docker-archive tar {@code <directory>/<service>.tar}. */
        record Tar(Path directory) implements Target {}

        /** Pushed as {@code <registry>/engram/<service>:<tag>} (and {@code :<version>}). */
        record Registry(String registry) implements Target {}
    }

    /**
     * A built image.
     *
     * @param service the service
     * @param reference its name, e.g. {@code engram/search-service:latest}
     * @param digest its manifest's digest
     * @param imageId its configuration's digest
     * @param archive its tar, or {@code null} when it was pushed
     */
    record Built(String service, String reference, String digest, String imageId, Path archive) {}

    private ServiceImage() {}

    /** {@code java}, the flags, {@code -jar /deployments/quarkus-run.jar}: found through the base image's PATH. */
    static List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add("java");
        entrypoint.addAll(JVM_FLAGS);
        entrypoint.add("-jar");
        entrypoint.add(APP_DIR + "/quarkus-run.jar");
        return List.copyOf(entrypoint);
    }

    /** The image's name: {@code engram/<service>:<tag>}, under {@code registry} when one is given. */
    static String reference(String registry, String service, String tag) {
        String repository = "engram/" + service + ":" + tag;
        return registry == null || registry.isBlank() ? repository : registry.replaceAll("/+$", "") + "/" + repository;
    }

    /**
     * Builds a service's image.
     *
     * @param app the packaged service
     * @param base what to build on
     * @param target where the image goes
     * @param tag its tag
     * @param version Engram's version: its second tag (the one the Kubernetes overlays pin), and a label
     * @param cacheDir Jib's layer caches
     * @param log where Jib's progress goes
     */
    static Built build(
            ServiceApp app, Base base, Target target, String tag, String version, Path cacheDir, Consumer<String> log)
            throws IOException, InterruptedException {
        try {
            JibContainerBuilder builder = layers(app, from(base, log));
            builder.setEntrypoint(entrypoint())
                    .setProgramArguments(List.of())
                    .setWorkingDirectory(AbsoluteUnixPath.get(APP_DIR))
                    .setUser(Integer.toString(BaseImage.USER))
                    .setExposedPorts(Port.tcp(app.httpPort()))
                    .setLabels(Map.of(
                            "org.opencontainers.image.title", app.name(),
                            "org.opencontainers.image.version", version,
                            "org.opencontainers.image.base.name", baseName(base)));

            Containerizer containerizer;
            Path archive = null;
            String reference;
            switch (target) {
                case Target.Tar tar -> {
                    reference = reference(null, app.name(), tag);
                    archive = tar.directory().resolve(app.name() + ".tar");
                    Files.createDirectories(tar.directory());
                    containerizer = Containerizer.to(TarImage.at(archive).named(reference));
                    containerizer.setOfflineMode(
                            base instanceof Base.Built || (base instanceof Base.Remote remote && remote.isLocal()));
                }
                case Target.Registry registry -> {
                    reference = reference(registry.registry(), app.name(), tag);
                    containerizer = Containerizer.to(
                            RegistryCredentials.image(ImageReference.parse(reference), event -> logged(event, log)));
                }
            }
            if (!version.equals(tag)) {
                containerizer.withAdditionalTag(version);
            }
            containerizer
                    .setToolName("engram-images")
                    .setToolVersion(version)
                    .setBaseImageLayersCache(cacheDir.resolve("base"))
                    .setApplicationLayersCache(cacheDir.resolve("application"))
                    .addEventHandler(LogEvent.class, event -> logged(event, log));
            JibContainer container = builder.containerize(containerizer);
            return new Built(
                    app.name(),
                    reference,
                    container.getDigest().toString(),
                    container.getImageId().toString(),
                    archive);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("not an image reference: " + e.getMessage(), e);
        } catch (ExecutionException | RegistryException | CacheDirectoryCreationException e) {
            throw new IOException("building the image of " + app.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static JibContainerBuilder from(Base base, Consumer<String> log) throws InvalidImageReferenceException {
        return switch (base) {
            case Base.Built built -> Jib.from(built.image().jibReference());
            case Base.Remote remote when remote.isLocal() -> Jib.from(remote.reference());
            case Base.Remote remote ->
                Jib.from(RegistryCredentials.image(
                        ImageReference.parse(remote.reference()), event -> logged(event, log)));
        };
    }

    private static String baseName(Base base) {
        return switch (base) {
            case Base.Built built -> built.image().reference();
            case Base.Remote remote -> remote.reference();
        };
    }

    /** The fast-jar's layers, then the working directory, writable by the service user as in Quarkus's images. */
    private static JibContainerBuilder layers(ServiceApp app, JibContainerBuilder builder) throws IOException {
        Path dir = app.appDir();
        AbsoluteUnixPath target = AbsoluteUnixPath.get(APP_DIR);
        List<Path> mainLibs = list(dir.resolve("lib/main"));
        builder.addFileEntriesLayer(files("boot-libs", list(dir.resolve("lib/boot")), target.resolve("lib/boot")));
        builder.addFileEntriesLayer(
                files("libs", mainLibs.stream().filter(ENGRAM_MODULE.negate()).toList(), target.resolve("lib/main")));
        builder.addFileEntriesLayer(
                files("engram-libs", mainLibs.stream().filter(ENGRAM_MODULE).toList(), target.resolve("lib/main")));
        builder.addFileEntriesLayer(files("quarkus-run", List.of(dir.resolve("quarkus-run.jar")), target));
        builder.addFileEntriesLayer(tree("app", dir.resolve("app"), target.resolve("app")));
        builder.addFileEntriesLayer(tree("quarkus", dir.resolve("quarkus"), target.resolve("quarkus")));
        String owner = BaseImage.USER + ":" + BaseImage.USER;
        builder.addFileEntriesLayer(FileEntriesLayer.builder()
                .setName("workdir")
                .addEntry(new FileEntry(
                        dir,
                        target,
                        FilePermissions.DEFAULT_FOLDER_PERMISSIONS,
                        FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
                        owner))
                .build());
        return builder;
    }

    private static FileEntriesLayer files(String name, List<Path> files, AbsoluteUnixPath directory) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (Path file : files) {
            layer.addEntry(file, directory.resolve(file.getFileName().toString()));
        }
        return layer.build();
    }

    private static FileEntriesLayer tree(String name, Path directory, AbsoluteUnixPath target) throws IOException {
        return FileEntriesLayer.builder()
                .setName(name)
                .addEntryRecursive(directory, target)
                .build();
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static void logged(LogEvent event, Consumer<String> log) {
        switch (event.getLevel()) {
            case ERROR, WARN -> {
                if (!event.getMessage().isBlank()) {
                    log.accept(event.getMessage().strip());
                }
            }
            default -> {}
        }
    }
}
