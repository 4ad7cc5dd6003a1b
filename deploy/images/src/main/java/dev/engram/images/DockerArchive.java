package dev.engram.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an image as a docker-archive tar, the format of {@code docker save}: {@code manifest.json}, the image's
 * configuration, one gzip-compressed tar per layer. {@code docker load}, {@code podman load}, {@code skopeo} (as
 * {@code docker-archive:}) and Jib (as {@code tar://}) read it. The same layers and configuration give the same bytes.
 */
final class DockerArchive {

    /** Where images made here say they were created: never, so that a rebuild gives the same image id. */
    static final String EPOCH = "1970-01-01T00:00:00Z";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerArchive() {}

    /**
     * A layer written out: its tar's digest (the image configuration's {@code diff_id}) and the compressed file,
     * named by its own digest as Jib and registries name blobs.
     *
     * @param name what the layer holds
     * @param diffId {@code sha256:<hex>} of the uncompressed tar
     * @param file the gzip-compressed tar, {@code <hex of its sha256>.tar.gz}
     */
    record CompressedLayer(String name, String diffId, Path file) {}

    /**
     * The image's runtime configuration (the {@code config} object of the image configuration).
     *
     * @param user the user processes run as, e.g. {@code "185"}
     * @param env {@code NAME=value} entries
     * @param workingDir the working directory
     * @param labels the image's labels
     */
    record RuntimeConfig(String user, List<String> env, String workingDir, Map<String, String> labels) {}

    /** Writes a layer's tar compressed into {@code directory}, named by its digest. */
    static CompressedLayer compress(Layer layer, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, layer.name(), ".partial");
        MessageDigest uncompressed = sha256();
        MessageDigest compressed = sha256();
        try (OutputStream file = new DigestOutputStream(Files.newOutputStream(partial), compressed);
                GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
                DigestOutputStream tar = new DigestOutputStream(gzip, uncompressed)) {
            layer.writeTar(tar);
        }
        HexFormat hex = HexFormat.of();
        Path named = directory.resolve(hex.formatHex(compressed.digest()) + ".tar.gz");
        Files.move(partial, named, StandardCopyOption.REPLACE_EXISTING);
        return new CompressedLayer(layer.name(), "sha256:" + hex.formatHex(uncompressed.digest()), named);
    }

    /**
     * Writes the image.
     *
     * @param archive the tar to write (replaced if present)
     * @param repoTag the name it is loaded as, e.g. {@code engram/base:latest}
     * @param config its runtime configuration
     * @param layers its layers, the lowest first
     * @return the image id: {@code sha256:<hex>} of the image configuration
     */
    static String write(Path archive, String repoTag, RuntimeConfig config, List<CompressedLayer> layers)
            throws IOException {
        byte[] configJson = JSON.writeValueAsBytes(imageConfiguration(config, layers));
        String configHex = HexFormat.of().formatHex(sha256().digest(configJson));
        String configName = configHex + ".json";

        List<String> layerNames = new ArrayList<>();
        for (CompressedLayer layer : layers) {
            layerNames.add(layer.file().getFileName().toString());
        }
        Map<String, Object> manifestEntry = new LinkedHashMap<>();
        manifestEntry.put("Config", configName);
        manifestEntry.put("RepoTags", List.of(repoTag));
        manifestEntry.put("Layers", layerNames);
        byte[] manifestJson = JSON.writeValueAsBytes(List.of(manifestEntry));

        Files.createDirectories(archive.toAbsolutePath().getParent());
        Path partial = Files.createTempFile(archive.toAbsolutePath().getParent(), "image", ".partial");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(partial))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            putBytes(tar, "manifest.json", manifestJson);
            putBytes(tar, configName, configJson);
            for (CompressedLayer layer : layers) {
                TarArchiveEntry entry = entry(layer.file().getFileName().toString(), Files.size(layer.file()));
                tar.putArchiveEntry(entry);
                try (InputStream in = Files.newInputStream(layer.file())) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        readableByAll(archive);
        return "sha256:" + configHex;
    }

    private static Map<String, Object> imageConfiguration(RuntimeConfig config, List<CompressedLayer> layers) {
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("User", config.user());
        runtime.put("Env", config.env());
        runtime.put("WorkingDir", config.workingDir());
        runtime.put("Labels", config.labels());

        List<String> diffIds = new ArrayList<>();
        List<Map<String, Object>> history = new ArrayList<>();
        for (CompressedLayer layer : layers) {
            diffIds.add(layer.diffId());
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("created", EPOCH);
            step.put("created_by", "engram-images: " + layer.name());
            history.add(step);
        }
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);

        Map<String, Object> image = new LinkedHashMap<>();
        image.put("architecture", "amd64");
        image.put("os", "linux");
        image.put("created", EPOCH);
        image.put("config", runtime);
        image.put("rootfs", rootfs);
        image.put("history", history);
        return image;
    }

    /** {@code 0644}: a temporary file starts as {@code 0600}. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        tar.putArchiveEntry(entry(name, bytes.length));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0100644);
        entry.setModTime(FileTime.fromMillis(0));
        entry.setUserName("");
        entry.setGroupName("");
        return entry;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
