package dev.engram.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Copies files of the build machine into a layer at the same paths, keeping what makes them work: a symbolic link
 * stays a link, and a directory on the way that is a link on this machine ({@code /lib → usr/lib} on merged /usr)
 * is one in the image too, with the file at the place the link leads to.
 */
final class HostFiles {

    private static final int MAX_LINKS = 40;

    private final Path root;

    /** @param root the file system root the paths are read under, {@code /} but in tests */
    HostFiles(Path root) {
        this.root = root;
    }

    /**
     * Adds the file or link at {@code path}, and the links among its parents, to the layer. Directories are not
     * copied: they come as parents of what they hold.
     *
     * @return whether something was added (false for a directory)
     */
    boolean copy(String path, Layer layer) throws IOException {
        String placed = placeParents(Layer.normalize(path), layer, 0);
        Path host = host(placed);
        if (Files.isSymbolicLink(host)) {
            layer.add(
                    new LayerEntry.Symlink(placed, Files.readSymbolicLink(host).toString()));
            return true;
        }
        if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(host + " is listed but is not a regular file, link or directory");
        }
        layer.add(LayerEntry.RegularFile.copyOf(placed, mode(host), host));
        return true;
    }

    /**
     * Adds the file {@code path} leads to on this machine, as a regular file at {@code path} (a generated file such as
     * the CA bundle, whatever links this machine has on the way to it).
     *
     * @throws IllegalStateException if there is no such file
     */
    void copyFollowingLinks(String path, Layer layer) throws IOException {
        Path host = host(Layer.normalize(path));
        if (!Files.isRegularFile(host)) {
            throw new IllegalStateException("no file " + host + " on this machine");
        }
        Path real = host.toRealPath();
        layer.add(LayerEntry.RegularFile.copyOf(Layer.normalize(path), mode(real), real));
    }

    /** The path with every parent that is a link on this machine followed; the links are added to the layer. */
    private String placeParents(String path, Layer layer, int links) throws IOException {
        if (links > MAX_LINKS) {
            throw new IllegalStateException("too many levels of symbolic links under " + path);
        }
        String[] parts = path.substring(1).split("/");
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            String parent = current + "/" + parts[i];
            Path host = host(parent);
            if (Files.isSymbolicLink(host)) {
                String target = Files.readSymbolicLink(host).toString();
                layer.add(new LayerEntry.Symlink(parent, target));
                String resolved = target.startsWith("/") ? target : current + "/" + target;
                String rest = String.join("/", Arrays.copyOfRange(parts, i + 1, parts.length));
                return placeParents(Layer.normalize(resolved + "/" + rest), layer, links + 1);
            }
            current.append('/').append(parts[i]);
        }
        return path;
    }

    private Path host(String path) {
        return root.resolve(path.substring(1));
    }

    /**
     * {@code 0755} for a file its owner may execute, else {@code 0644}: what Debian installs and jlink writes, made
     * independent of this machine's umask.
     */
    static int mode(Path file) throws IOException {
        boolean executable;
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            executable = permissions.contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            executable = Files.isExecutable(file);
        }
        return executable ? 0755 : 0644;
    }
}
