package dev.engram.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A docker-archive image tar read the way an engine loads it: {@code manifest.json}, the configuration it names, and
 * each layer decompressed, hashed and listed.
 */
final class ImageArchive {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One layer as the engine sees it.
     *
     * @param file its blob in the archive
     * @param sha256 {@code sha256:} of the blob
     * @param diffId {@code sha256:} of the blob decompressed, computed here
     * @param entries its entries by path ({@code /usr/lib}, no trailing slash)
     */
    record LayerContent(String file, String sha256, String diffId, Map<String, TarArchiveEntry> entries) {}

    private final Path tar;
    private final JsonNode manifest;
    private final JsonNode config;
    private final List<LayerContent> layers;

    private ImageArchive(Path tar, JsonNode manifest, JsonNode config, List<LayerContent> layers) {
        this.tar = tar;
        this.manifest = manifest;
        this.config = config;
        this.layers = layers;
    }

    /** Reads an image tar: its JSON, and every layer decompressed and hashed. */
    static ImageArchive read(Path tar) throws IOException {
        try (TarFile archive = new TarFile(tar.toFile())) {
            JsonNode manifest = JSON.readTree(bytes(archive, "manifest.json"));
            if (!manifest.isArray() || manifest.size() != 1) {
                throw new IllegalStateException(tar + ": manifest.json is not a list of one image: " + manifest);
            }
            JsonNode config =
                    JSON.readTree(bytes(archive, manifest.get(0).get("Config").asText()));
            List<LayerContent> layers = new ArrayList<>();
            for (JsonNode layer : manifest.get(0).get("Layers")) {
                layers.add(layer(archive, layer.asText()));
            }
            return new ImageArchive(tar, manifest, config, layers);
        }
    }

    /** The names the image is loaded as. */
    List<String> repoTags() {
        List<String> tags = new ArrayList<>();
        manifest.get(0).get("RepoTags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    /** The image configuration. */
    JsonNode config() {
        return config;
    }

    /** The configuration's {@code rootfs.diff_ids}. */
    List<String> diffIds() {
        List<String> ids = new ArrayList<>();
        config.get("rootfs").get("diff_ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /** The layers in the manifest's order, the lowest first. */
    List<LayerContent> layers() {
        return layers;
    }

    /** The entry a path has once every layer is applied (the top-most layer that has it), or {@code null}. */
    TarArchiveEntry entry(String path) {
        TarArchiveEntry found = null;
        for (LayerContent layer : layers) {
            TarArchiveEntry entry = layer.entries().get(path);
            if (entry != null) {
                found = entry;
            }
        }
        return found;
    }

    /** The bytes of a file once every layer is applied. */
    byte[] content(String path) throws IOException {
        String file = null;
        for (LayerContent layer : layers) {
            if (layer.entries().containsKey(path)) {
                file = layer.file();
            }
        }
        if (file == null) {
            throw new IllegalStateException("the image has no " + path);
        }
        try (TarFile archive = new TarFile(tar.toFile());
                TarArchiveInputStream in = layerStream(archive, file)) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (path(entry).equals(path)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new IllegalStateException(file + " lost " + path);
    }

    /** Every path of the applied layers. */
    Set<String> paths() {
        Set<String> paths = new HashSet<>();
        layers.forEach(layer -> paths.addAll(layer.entries().keySet()));
        return paths;
    }

    /**
     * Applies the layers, lowest first, to an empty directory: directories, files and links with their modes, and
     * their owners when this process may set them (as root).
     *
     * @return whether the owners were set
     */
    boolean extractTo(Path rootfs) throws IOException {
        Files.createDirectories(rootfs);
        boolean owners = true;
        Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        try (TarFile archive = new TarFile(tar.toFile())) {
            for (LayerContent layer : layers) {
                try (TarArchiveInputStream in = layerStream(archive, layer.file())) {
                    for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                        String name = path(entry);
                        if (name.contains("/.wh.") || name.startsWith("/.wh.")) {
                            throw new IllegalStateException("whiteouts are not expected here: " + name);
                        }
                        Path target = rootfs.resolve(name.substring(1)).normalize();
                        if (!target.startsWith(rootfs)) {
                            throw new IllegalStateException("entry outside the root: " + name);
                        }
                        if (entry.isDirectory()) {
                            Files.createDirectories(target);
                            directoryModes.put(target, entry.getMode());
                        } else {
                            Files.deleteIfExists(target);
                            Files.createDirectories(target.getParent());
                            if (entry.isSymbolicLink()) {
                                Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                            } else if (entry.isFile()) {
                                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                                Files.setAttribute(target, "unix:mode", entry.getMode() & 07777);
                            } else {
                                throw new IllegalStateException("unexpected entry type: " + name);
                            }
                        }
                        if (owners && !entry.isSymbolicLink()) {
                            owners = chown(target, entry);
                        } else if (owners) {
                            owners = chownLink(target, entry);
                        }
                    }
                }
            }
        }
        // directory modes last: a directory without write permission would refuse what goes into it
        for (Map.Entry<Path, Integer> directory : directoryModes.entrySet()) {
            Files.setAttribute(directory.getKey(), "unix:mode", directory.getValue() & 07777);
        }
        return owners;
    }

    private static LayerContent layer(TarFile archive, String file) throws IOException {
        MessageDigest blob = sha256();
        MessageDigest tar = sha256();
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        TarArchiveEntry blobEntry = find(archive, file);
        try (InputStream raw = new DigestInputStream(archive.getInputStream(blobEntry), blob);
                InputStream unzipped = new DigestInputStream(new GZIPInputStream(raw, 1 << 16), tar);
                TarArchiveInputStream in = new TarArchiveInputStream(unzipped)) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(path(entry), entry);
            }
            unzipped.transferTo(OutputStream.nullOutputStream()); // the tar's padding after its end marker
            raw.transferTo(OutputStream.nullOutputStream());
        }
        HexFormat hex = HexFormat.of();
        return new LayerContent(
                file, "sha256:" + hex.formatHex(blob.digest()), "sha256:" + hex.formatHex(tar.digest()), entries);
    }

    private static TarArchiveInputStream layerStream(TarFile archive, String file) throws IOException {
        return new TarArchiveInputStream(new GZIPInputStream(archive.getInputStream(find(archive, file)), 1 << 16));
    }

    private static TarArchiveEntry find(TarFile archive, String name) {
        return archive.getEntries().stream()
                .filter(entry -> entry.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the image tar has no " + name));
    }

    private static byte[] bytes(TarFile archive, String name) throws IOException {
        try (InputStream in = archive.getInputStream(find(archive, name))) {
            return in.readAllBytes();
        }
    }

    /** {@code usr/lib/} or {@code ./usr/lib} → {@code /usr/lib}. */
    private static String path(TarArchiveEntry entry) {
        String name = entry.getName();
        if (name.startsWith("./")) {
            name = name.substring(1);
        }
        if (!name.startsWith("/")) {
            name = "/" + name;
        }
        return name.length() > 1 && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean chown(Path target, TarArchiveEntry entry) {
        try {
            Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId());
            Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId());
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static boolean chownLink(Path target, TarArchiveEntry entry) {
        try {
            Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
