package dev.engram.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The image the services run on, made offline from this machine alone: a Java runtime linked from the build's JDK
 * ({@link JavaRuntime}) under {@value #JAVA_HOME}, and the shared libraries it and the native code of the services
 * (ONNX Runtime, the tokenizers) load, taken from the installed Debian packages: glibc, libgcc_s, libstdc++, zlib
 * and the C.UTF-8 locale; plus the CA bundle, a user {@value #USER} ({@code engram}) and a sticky {@code /tmp}. No
 * shell, no package manager. Two layers: {@code os}, then {@code java}.
 */
final class BaseImage {

    /** The name the base image is written under. */
    static final String REFERENCE = "engram/base:latest";

    /** Where the Java runtime is. */
    static final String JAVA_HOME = "/opt/java";

    /** The user the services run as (the Kubernetes manifests' {@code runAsUser}). */
    static final int USER = 185;

    /** The service user's home. */
    static final String HOME = "/home/engram";

    /** The CA bundle {@code update-ca-certificates} writes from the {@code ca-certificates} package. */
    static final String CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    /** What is taken of which package: paths under one of the prefixes, minus the excluded ones. */
    record PackageFiles(String name, List<String> prefixes, List<String> excluded) {}

    /**
     * The packages: glibc's libraries and loader (without its gconv charset modules: Java converts charsets
     * itself), the GCC runtime and the C++ standard library (ONNX Runtime), zlib, and glibc's C.UTF-8 locale.
     */
    static final List<PackageFiles> PACKAGES = List.of(
            new PackageFiles(
                    "libc6",
                    List.of("/lib/", "/lib64", "/usr/lib/", "/usr/lib64", "/etc/ld.so.conf.d/"),
                    List.of("/usr/lib/x86_64-linux-gnu/gconv/")),
            new PackageFiles("libgcc-s1", List.of("/lib/", "/usr/lib/"), List.of()),
            new PackageFiles("libstdc++6", List.of("/lib/", "/usr/lib/"), List.of()),
            new PackageFiles("zlib1g", List.of("/lib/", "/usr/lib/"), List.of()),
            new PackageFiles("libc-bin", List.of("/usr/lib/locale/C.utf8/"), List.of()));

    /** The environment every process of the image starts with. */
    static final List<String> ENV = List.of(
            "PATH=" + JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=" + JAVA_HOME,
            "LANG=C.UTF-8");

    /**
     * The base image written.
     *
     * @param archive its docker-archive tar
     * @param reference the name it carries
     * @param imageId {@code sha256:} of its configuration
     * @param diffIds its layers' digests, the lowest first
     * @param labels what it was made from
     */
    record Result(Path archive, String reference, String imageId, List<String> diffIds, Map<String, String> labels) {

        /** The base as Jib takes it. */
        String jibReference() {
            return "tar://" + archive.toAbsolutePath();
        }
    }

    private BaseImage() {}

    /**
     * Builds the base image.
     *
     * @param jdkHome the JDK whose jlink makes the runtime
     * @param hostRoot the root the Debian packages are read from, {@code /} but in tests
     * @param workDir scratch space (the linked runtime, the compressed layers), deleted at the end
     * @param archive the tar to write
     */
    static Result build(Path jdkHome, Path hostRoot, Path workDir, Path archive)
            throws IOException, InterruptedException {
        requireAmd64();
        DebianPackages packages = new DebianPackages(hostRoot);
        HostFiles hostFiles = new HostFiles(hostRoot);
        Layer os = new Layer("os");
        StringBuilder versions = new StringBuilder();
        for (PackageFiles wanted : PACKAGES) {
            int copied = 0;
            for (String path : packages.files(wanted.name())) {
                if (wanted.prefixes().stream().anyMatch(path::startsWith)
                        && wanted.excluded().stream().noneMatch(path::startsWith)
                        && hostFiles.copy(path, os)) {
                    copied++;
                }
            }
            if (copied == 0) {
                throw new IllegalStateException("nothing taken of Debian package " + wanted.name());
            }
            versions.append(versions.isEmpty() ? "" : " ")
                    .append(wanted.name())
                    .append('=')
                    .append(packages.version(wanted.name()));
        }
        hostFiles.copyFollowingLinks(CA_BUNDLE, os);
        versions.append(" ca-certificates=").append(packages.version("ca-certificates"));
        addUserAndDirectories(os);

        Path runtime = JavaRuntime.link(jdkHome, workDir.resolve("java-runtime"));
        Layer java = new Layer("java");
        addTree(runtime, JAVA_HOME, java);

        checkLinksResolve(List.of(os, java));

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", "engram-base");
        labels.put(
                "org.opencontainers.image.description",
                "Engram's base image: a jlink Java runtime and glibc, libstdc++, zlib from Debian; user 185");
        labels.put("dev.engram.base.java", JavaRuntime.version(runtime));
        labels.put("dev.engram.base.java-modules", String.join(",", JavaRuntime.MODULES));
        labels.put("dev.engram.base.debian-packages", versions.toString());

        List<DockerArchive.CompressedLayer> layers = new ArrayList<>();
        Path layerDir = workDir.resolve("layers");
        Directories.deleteRecursively(layerDir);
        layers.add(DockerArchive.compress(os, layerDir));
        layers.add(DockerArchive.compress(java, layerDir));
        DockerArchive.RuntimeConfig config = new DockerArchive.RuntimeConfig(Integer.toString(USER), ENV, "/", labels);
        String imageId = DockerArchive.write(archive, REFERENCE, config, layers);
        Directories.deleteRecursively(workDir);
        return new Result(
                archive,
                REFERENCE,
                imageId,
                layers.stream().map(DockerArchive.CompressedLayer::diffId).toList(),
                labels);
    }

    private static void requireAmd64() {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the base image is made for linux/amd64 from this machine's files; this is "
                    + System.getProperty("os.name") + "/" + arch + ": build on a registry image instead");
        }
    }

    /** {@code /etc/passwd} and {@code /etc/group} with root and {@code engram} (185), name lookups, /tmp, the home. */
    private static void addUserAndDirectories(Layer layer) {
        layer.add(LayerEntry.RegularFile.of(
                "/etc/passwd",
                0644,
                utf8("root:x:0:0:root:/root:/usr/sbin/nologin\n" + "engram:x:" + USER + ":" + USER + ":Engram services:"
                        + HOME + ":/usr/sbin/nologin\n")));
        layer.add(LayerEntry.RegularFile.of("/etc/group", 0644, utf8("root:x:0:\nengram:x:" + USER + ":\n")));
        layer.add(LayerEntry.RegularFile.of(
                "/etc/nsswitch.conf", 0644, utf8("passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n")));
        layer.add(new LayerEntry.Directory("/tmp", 01777, LayerEntry.ROOT, LayerEntry.ROOT));
        layer.add(new LayerEntry.Directory("/root", 0700, LayerEntry.ROOT, LayerEntry.ROOT));
        layer.add(new LayerEntry.Directory(HOME, 0755, USER, USER));
    }

    /** Everything under {@code directory}, at {@code target}: directories {@code 0755}, files as {@link HostFiles}. */
    private static void addTree(Path directory, String target, Layer layer) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted().toList()) {
                String relative = directory.relativize(path).toString();
                String inImage = relative.isEmpty() ? target : target + "/" + relative;
                if (Files.isSymbolicLink(path)) {
                    layer.add(new LayerEntry.Symlink(
                            inImage, Files.readSymbolicLink(path).toString()));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    layer.add(new LayerEntry.Directory(inImage, 0755, LayerEntry.ROOT, LayerEntry.ROOT));
                } else {
                    layer.add(LayerEntry.RegularFile.copyOf(inImage, HostFiles.mode(path), path));
                }
            }
        }
    }

    /** Fails if a link of the image leads nowhere (a library whose target was left out). */
    static void checkLinksResolve(List<Layer> layers) {
        ImageTree tree = new ImageTree();
        layers.forEach(tree::apply);
        for (Layer layer : layers) {
            for (LayerEntry entry : layer.entries()) {
                if (entry instanceof LayerEntry.Symlink link && tree.resolve(link.path()) == null) {
                    throw new IllegalStateException(
                            "the link " + link.path() + " -> " + link.target() + " leads nowhere in the image");
                }
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
