package dev.engram.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.engram.deploy.stack.ServiceCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds the base image and the four services' images offline, as {@code ./mvnw -Pimages package} does, and reads
 * each tar as an engine loads it; then runs search-service from its image, on a read-only root as user 185.
 */
class ServiceImagesIT {

    private static final Path REPO =
            Path.of(System.getProperty("engram.repo", "../..")).toAbsolutePath().normalize();
    private static final Path OUTPUT = Path.of(System.getProperty("engram.images.test-output", "target/test-images"))
            .toAbsolutePath();

    private static final String VERSION = System.getProperty("engram.version", "0.1.0-SNAPSHOT");

    private static ImageBuild.Result built;
    private static ImageArchive base;
    private static final Map<String, ImageArchive> images = new LinkedHashMap<>();

    @BeforeAll
    static void buildTheImages() throws IOException, InterruptedException {
        ImageBuildOptions options = new ImageBuildOptions(
                REPO,
                OUTPUT,
                ServiceApp.ALL,
                "latest",
                Optional.empty(),
                Optional.empty(),
                VERSION,
                Path.of(System.getProperty("java.home")));
        built = ImageBuild.run(options, line -> System.out.println("[images] " + line));
        base = ImageArchive.read(built.base().archive());
        for (ServiceImage.Built image : built.services()) {
            images.put(image.service(), ImageArchive.read(image.archive()));
        }
    }

    @Test
    void everyImageIsNamedAndExposesThePortAsTheKubernetesManifestsSay() throws IOException {
        assertThat(images.keySet()).containsExactlyElementsOf(ServiceApp.ALL);
        for (Map.Entry<String, ImageArchive> image : images.entrySet()) {
            JsonNode container = deploymentContainer(image.getKey());
            String name = "engram/" + image.getKey();

            assertThat(image.getValue().repoTags())
                    .as(image.getKey() + ": the base's image, and the tag each overlay pins")
                    .containsExactlyInAnyOrder(container.get("image").asText(), name + ":" + VERSION)
                    .contains(name + ":" + overlayTag("dev", name), name + ":" + overlayTag("prod", name));
            int port = container.get("ports").get(0).get("containerPort").asInt();
            assertThat(fieldNames(image.getValue().config().get("config").get("ExposedPorts")))
                    .as(image.getKey())
                    .containsExactly(port + "/tcp");
        }
    }

    @Test
    void everyImageRunsItsFastJarWithTheLocalStacksFlagsAsUser185() {
        for (Map.Entry<String, ImageArchive> image : images.entrySet()) {
            JsonNode config = image.getValue().config().get("config");

            assertThat(config.get("User").asText()).as(image.getKey()).isEqualTo("185");
            assertThat(strings(config.get("Entrypoint")))
                    .as(image.getKey())
                    .startsWith("java")
                    .endsWith("-jar", "/deployments/quarkus-run.jar")
                    .contains("-XX:InitialRAMPercentage=70.0", "-XX:MaxRAMPercentage=70.0")
                    .containsAll(ServiceCommand.REQUIRED_JVM_FLAGS);
            assertThat(config.path("Cmd").isMissingNode() || config.get("Cmd").isEmpty())
                    .as(image.getKey() + " has no arguments after the entrypoint")
                    .isTrue();
            assertThat(config.get("WorkingDir").asText()).isEqualTo("/deployments");
            assertThat(strings(config.get("Env")))
                    .contains(
                            "PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:" + "/usr/sbin:/usr/bin:/sbin:/bin",
                            "JAVA_HOME=/opt/java",
                            "LANG=C.UTF-8");
            assertThat(config.get("Labels")
                            .get("org.opencontainers.image.title")
                            .asText())
                    .isEqualTo(image.getKey());
        }
    }

    @Test
    void everyImageIsTheBaseImagesLayersThenTheApplications() {
        List<String> baseLayers = base.diffIds();
        assertThat(base.layers()).extracting(ImageArchive.LayerContent::diffId).containsExactlyElementsOf(baseLayers);

        for (Map.Entry<String, ImageArchive> image : images.entrySet()) {
            ImageArchive archive = image.getValue();
            String service = image.getKey();

            assertThat(archive.layers())
                    .as(service + ": each layer decompresses to the tar its diff_id names")
                    .extracting(ImageArchive.LayerContent::diffId)
                    .containsExactlyElementsOf(archive.diffIds());
            assertThat(archive.diffIds()).as(service).startsWith(baseLayers.toArray(String[]::new));
            assertThat(archive.diffIds()).as(service).hasSize(baseLayers.size() + 7);

            assertRegularFile(archive, "/deployments/quarkus-run.jar", 0);
            assertThat(archive.paths())
                    .as(service)
                    .anyMatch(path -> path.matches("/deployments/app/" + service + "-.*\\.jar"))
                    .anyMatch(path -> path.matches("/deployments/lib/main/dev\\.engram\\.engram-core-.*\\.jar"))
                    .anyMatch(path -> path.startsWith("/deployments/lib/boot/"))
                    .contains("/deployments/quarkus/quarkus-application.dat");
            TarArchiveEntry workdir = archive.entry("/deployments");
            assertThat(workdir.getLongUserId())
                    .as(service + ": the working directory is the user's")
                    .isEqualTo(185);
            for (String path : archive.paths()) {
                if (path.startsWith("/deployments/")) {
                    TarArchiveEntry entry = archive.entry(path);
                    assertThat(entry.getLongUserId()).as(path + " is root's").isZero();
                    assertThat(entry.getMode() & 0022)
                            .as(path + " is not writable by the user")
                            .isZero();
                }
            }
        }
    }

    @Test
    void theBaseImageHoldsTheRuntimeTheNativeLibrariesAndTheUser() throws IOException {
        assertThat(base.repoTags()).containsExactly(BaseImage.REFERENCE);
        assertThat(base.config().get("config").get("User").asText()).isEqualTo("185");
        assertRegularFile(base, "/opt/java/bin/java", 0755);
        assertRegularFile(base, "/opt/java/lib/server/libjvm.so", 0);
        assertRegularFile(base, "/opt/java/lib/security/cacerts", 0);
        assertRegularFile(base, "/etc/ssl/certs/ca-certificates.crt", 0);
        // the loader the JDK and ONNX Runtime are linked against, and the libraries they need, through the links
        // a merged-/usr Debian has
        for (String library : List.of(
                "/lib64/ld-linux-x86-64.so.2",
                "/lib/x86_64-linux-gnu/libc.so.6",
                "/lib/x86_64-linux-gnu/libm.so.6",
                "/lib/x86_64-linux-gnu/libgcc_s.so.1",
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/lib/x86_64-linux-gnu/libz.so.1")) {
            assertThat(resolve(base, library)).as(library).isInstanceOf(LayerEntry.RegularFile.class);
        }
        assertThat(base.entry("/tmp").getMode() & 07777).isEqualTo(01777);
        assertThat(base.entry("/home/engram").getLongUserId()).isEqualTo(185);
        assertThat(base.paths())
                .as("no shell, no package manager, no charset modules")
                .doesNotContain("/bin/sh", "/usr/bin/sh", "/usr/bin/dpkg", "/usr/bin/apt")
                .noneMatch(path -> path.contains("/gconv/"));
        assertThat(new String(base.content("/etc/passwd"), StandardCharsets.UTF_8))
                .contains("engram:x:185:185:Engram services:/home/engram:");
    }

    @Test
    void theBaseImageIsTheSameBytesWhenBuiltAgain() throws Exception {
        Path again = OUTPUT.resolve("base-again");
        BaseImage.Result rebuilt = BaseImage.build(
                Path.of(System.getProperty("java.home")),
                Path.of("/"),
                again.resolve("work"),
                again.resolve("engram-base.tar"));

        assertThat(rebuilt.imageId()).isEqualTo(built.base().imageId());
        assertThat(Files.mismatch(rebuilt.archive(), built.base().archive())).isEqualTo(-1L);
        Directories.deleteRecursively(again);
    }

    @Test
    void anotherBaseImageGivenAsATarIsBuiltOnOffline() throws IOException, InterruptedException {
        String otherBase = "tar://" + built.base().archive();
        Path output = OUTPUT.resolve("on-another-base");

        ServiceImage.Built image = ServiceImage.build(
                ServiceApp.in(REPO, "router-service"),
                new ServiceImage.Base.Remote(otherBase),
                new ServiceImage.Target.Tar(output),
                "latest",
                VERSION,
                OUTPUT.resolve("jib-cache"),
                line -> System.out.println("[images] " + line));

        ImageArchive archive = ImageArchive.read(image.archive());
        assertThat(archive.diffIds()).startsWith(base.diffIds().toArray(String[]::new));
        assertThat(archive.config()
                        .get("config")
                        .get("Labels")
                        .get("org.opencontainers.image.base.name")
                        .asText())
                .isEqualTo(otherBase);
        Directories.deleteRecursively(output);
    }

    @Test
    void searchServiceStartsFromItsImageAsUser185OnAReadOnlyRoot() throws Exception {
        ImageSandbox sandbox = ImageSandbox.require();
        ImageArchive image = images.get("search-service");
        Path rootfs = OUTPUT.resolve("rootfs-search-service");
        Directories.deleteRecursively(rootfs);
        boolean owners = image.extractTo(rootfs);
        assertThat(owners || !sandbox.runsAsImageUser())
                .as("owners set when running as root")
                .isTrue();

        JsonNode config = image.config().get("config");
        Map<String, String> environment = new LinkedHashMap<>();
        for (String variable : strings(config.get("Env"))) {
            environment.put(
                    variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        }
        int port = freePort();
        environment.put("HOME", "/home/engram");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // as the manifest has it (native libraries unpacked under /tmp); no PostgreSQL: readiness stays down
        environment.put("DJL_CACHE_DIR", "/tmp/djl");
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/engram");
        Path log = OUTPUT.resolve("search-service-in-image.log");

        Process process = sandbox.start(
                rootfs,
                config.get("WorkingDir").asText(),
                config.get("User").asText(),
                environment,
                strings(config.get("Entrypoint")),
                log);
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            HttpResponse<String> response = null;
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    response = http.send(live, HttpResponse.BodyHandlers.ofString());
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(500);
                }
            }
            String output = Files.readString(log);
            assertThat(response)
                    .as("search-service answered; its output:\n" + output)
                    .isNotNull();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"UP\"");
            assertThat(output)
                    .as("the embedding model ran on ONNX Runtime's native library, loaded in the image")
                    .contains("embeddings: all-minilm-l6-v2-q")
                    .contains("started in")
                    .doesNotContain("UnsatisfiedLinkError");
            if (sandbox.runsAsImageUser()) {
                ProcessHandle java = process.toHandle()
                        .descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("/java"))
                        .findFirst()
                        .orElseThrow();
                assertThat(Files.readString(Path.of("/proc", Long.toString(java.pid()), "status")))
                        .as("the service runs as user 185")
                        .containsPattern("(?m)^Uid:\\s+185\\s");
            }
        } finally {
            List<ProcessHandle> inside = stop(process);
            assertThat(inside).as("nothing of the sandbox outlives the test").noneMatch(ProcessHandle::isAlive);
        }
        Directories.deleteRecursively(rootfs); // half a gigabyte; kept only when the test fails
    }

    /**
     * Stops the sandbox and what runs in it, and returns what ran in it. The service inside is stopped itself, first:
     * {@code unshare --kill-child} kills its child through the parent-death signal, which the kernel clears when the
     * child changes its user ({@code --setuid 185}), so stopping {@code unshare} alone left the service running.
     */
    private static List<ProcessHandle> stop(Process process) throws InterruptedException {
        List<ProcessHandle> inside = process.toHandle().descendants().toList();
        inside.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : inside) {
            try {
                handle.onExit().get(20, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
                try {
                    handle.onExit().get(5, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException ignored) {
                    // asserted by the caller
                }
            }
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return inside;
    }

    private static void assertRegularFile(ImageArchive archive, String path, int mode) {
        TarArchiveEntry entry = archive.entry(path);
        assertThat(entry).as(path).isNotNull();
        assertThat(entry.isFile()).as(path + " is a file").isTrue();
        if (mode != 0) {
            assertThat(entry.getMode() & 07777).as(path).isEqualTo(mode);
        }
    }

    /** What a path of the image leads to, links followed, as the base image build sees it. */
    private static LayerEntry resolve(ImageArchive archive, String path) {
        Layer layer = new Layer("all");
        for (String each : archive.paths().stream().sorted().toList()) {
            TarArchiveEntry entry = archive.entry(each);
            if (each.equals("/")) {
                continue;
            }
            if (entry.isSymbolicLink()) {
                layer.add(new LayerEntry.Symlink(each, entry.getLinkName()));
            } else if (entry.isDirectory()) {
                layer.add(new LayerEntry.Directory(each, entry.getMode() & 07777, 0, 0));
            } else {
                layer.add(LayerEntry.RegularFile.of(each, entry.getMode() & 07777, new byte[0]));
            }
        }
        ImageTree tree = new ImageTree();
        tree.apply(layer);
        return tree.resolve(path);
    }

    /** The {@code newTag} an overlay's {@code images:} gives an image. */
    private static String overlayTag(String overlay, String image) throws IOException {
        Path kustomization =
                REPO.resolve("deploy/k8s/overlays").resolve(overlay).resolve("kustomization.yaml");
        for (JsonNode entry : new YAMLMapper().readTree(kustomization.toFile()).path("images")) {
            if (image.equals(entry.path("name").asText())) {
                return entry.path("newTag").asText();
            }
        }
        throw new AssertionError(kustomization + " pins no tag for " + image);
    }

    /** The service's container in its Deployment (deploy/k8s/base/<service>.yaml). */
    private static JsonNode deploymentContainer(String service) throws IOException {
        Path manifest = REPO.resolve("deploy/k8s/base").resolve(service + ".yaml");
        try (MappingIterator<JsonNode> documents =
                new YAMLMapper().readerFor(JsonNode.class).readValues(manifest.toFile())) {
            for (JsonNode document : documents.readAll()) {
                if ("Deployment".equals(document.path("kind").asText())) {
                    for (JsonNode container :
                            document.path("spec").path("template").path("spec").path("containers")) {
                        if (service.equals(container.path("name").asText())) {
                            return container;
                        }
                    }
                }
            }
        }
        throw new AssertionError(manifest + " has no Deployment with a container " + service);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
